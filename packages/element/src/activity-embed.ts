// The reader's activity as its own small bundle (dist/activity.js), so embed.js, the critical
// path of every article, carries none of it (docs/decisions/0035). Any page of the host site may
// load it beside or without embed.js; it finds the reader by the token the widget stored.
import { activityDefaults } from './activity/activity.js';
import './define-activity.js';

// Served by the Colloquy server, so the script's own origin is the API's.
activityDefaults.endpoint = new URL(import.meta.url).origin;
