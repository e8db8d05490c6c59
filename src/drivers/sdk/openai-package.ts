// What the OpenAI driver takes from the openai package: the entry of its bundle (src/drivers/sdk/bundles.ts).
export { default as OpenAI, toFile } from 'openai';
