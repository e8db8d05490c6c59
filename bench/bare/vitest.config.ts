// bench/startup.ts's yardstick runs with this empty config, so vitest does not pick up the project's.
export default {};
