// Every route verdict of every product: works / denied without scope / preset denied (least privilege).
import { declareChecks } from '../src/suite/declare.ts';

declareChecks(['route']);
