// The library surface: what a bot project's own tests import.
export { startEmulator, type EmulatorOptions, type RunningEmulator } from './emulator/server.js';
export type { SeedFile, SeedApp, SeedUser, SeedChat, SeedTemplate, SeedDepartment, SeedContactRange, SeedCustomAttr, SeedI18nName } from './emulator/seed.js';
export type { EmulatorSettings, LoggedRequest } from './emulator/core.js';
export { PLATFORM_RATE_LIMITS, type RateLimitSettings } from './emulator/rate-limit.js';
export type { Interaction } from './emulator/interactions.js';
export { defineCard, type Card, type CardComponent } from './card/types.js';
export type * from './card/types.generated.js';
