// Importing this module registers every command.
import './inventory.js';
import './init.js';
import './scan.js';
import './db.js';
import './licenses.js';
import './explain.js';
