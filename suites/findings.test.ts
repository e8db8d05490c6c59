// Runbook findings: documentation defects, with what the tenant does with the documented configuration.
import { declareChecks } from '../src/suite/declare.ts';

declareChecks('findings');
