/**
 * Loads discord.js whole before a test file imports any part of it. Files that share a worker's modules
 * (`isolate: false`) otherwise meet it half-initialised when one of them reaches it through a cycle first.
 */
import 'discord.js';
