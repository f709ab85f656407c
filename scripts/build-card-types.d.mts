// Types of scripts/build-card-types.mjs, for the test that checks the generated file.
export function typeName(version: '1.0' | '2.0', def: string): string;
export function cardTypesSource(schemas: Record<'1.0' | '2.0', unknown>): string;
export function readSchemas(): Record<'1.0' | '2.0', Record<string, unknown>>;
export const GENERATED_FILE: string;
