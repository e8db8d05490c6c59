// Route verdict checks (works / denied without scope / preset denied) of the products in bucket 4 (src/suite/files.ts).
import { declareChecks } from '../src/suite/declare.ts';

declareChecks('routes.4');
