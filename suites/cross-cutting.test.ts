// Checks every run has once: authentication on every route, allowlists, key families, bad requests.
import { declareChecks } from '../src/suite/declare.ts';

declareChecks('cross-cutting');
