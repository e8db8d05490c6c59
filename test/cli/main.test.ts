// The command line's verb list: main.ts names every verb with a static summary, so the general help loads no verb.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.ts';
import { loadCommand, verbNames, verbSummary } from '../../src/cli/main.ts';

const commandFiles = readdirSync(path.join(projectRoot, 'src', 'cli', 'commands')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));

describe('the verb list of main.ts', () => {
  it('names exactly the modules of src/cli/commands', () => {
    expect([...verbNames].sort()).toEqual(commandFiles.sort());
  });

  it.each(commandFiles)('%s: the summary in the general help is the one the verb module holds', async (verb) => {
    const command = await loadCommand(verb);
    expect(command.name).toBe(verb);
    expect(verbSummary(verb)).toBe(command.summary);
  });

  it('knows no verb outside the list, not even an inherited property name', () => {
    expect(verbSummary('toString')).toBeUndefined();
    expect(verbSummary('nope')).toBeUndefined();
  });
});
