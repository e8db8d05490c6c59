// Types of dist-state.js (plain JavaScript, so bin/ runs before anything is compiled).
export declare const CLI_SOURCES: string[];
export declare function distStaleness(root: string, sourceDirs?: string[]): string | undefined;
export declare function markBuilt(root: string): void;
export declare function buildIfStale(root: string, sourceDirs?: string[]): void;
