// Route verdict checks (works / denied without scope / preset denied) of the products in bucket 3 (src/suite/files.ts).
import { declareChecks } from '../src/suite/declare.ts';

declareChecks('routes.3');
