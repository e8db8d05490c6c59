// Contract-driven negative and property testing (issue 15): cases derived from the contract's request
// schemas with fast-check, sent through the caller's HTTP client, failures shrunk to one request.
export { casesPerRound, negativeCases, runNegative, caseAt, NEGATIVE_IN_FLIGHT } from './run.ts';
export type { NegativeCase, NegativeOptions, NegativeRun, NegativeSend, ShrunkFailure } from './run.ts';
export type { NegativeInputs } from './kinds.ts';
export type { Expectation, NegativeAnswer } from './judge.ts';
export { curlLine } from './curl.ts';
