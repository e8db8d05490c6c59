// Bad input (a bad flag, a bad file): printed as one line by the command line, exit code 2.
export class UsageError extends Error {}
