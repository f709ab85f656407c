/** What the testing library throws when a test asks for something the emulator cannot do or does not hold. */
export class TestEmulatorError extends Error {}
