// Each product's machine-checkable validation checklist items.
import { declareChecks } from '../src/suite/declare.ts';

declareChecks('checklist');
