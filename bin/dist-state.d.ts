export declare const BUILT_STAMP: string;
export declare function distStaleness(root: string): string | undefined;
export declare function markBuilt(root: string): void;
