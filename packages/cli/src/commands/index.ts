// Importing this module registers every command.
import './inventory.js';
