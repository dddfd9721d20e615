// Every page of the console, one module per area. A page: { path, nav (menu label key or null), roles (null = everyone), render(ctx, ...params) }.
// A new area (dead letters, pauses, reports…) is one module here and one line in this list.
import items from './items.js';
import compose from './compose.js';
import item from './item.js';
import queue from './queue.js';
import accounts from './accounts.js';
import webhooks from './webhooks.js';
import signoff from './signoff.js';
import deadLetters from './dead-letters.js';
import reports from './reports.js';
import calendar from './calendar.js';
import holidays from './holidays.js';
import schedule from './schedule.js';
import notifications from './notifications.js';

export const pages = [items, compose, queue, accounts, webhooks, item, signoff, deadLetters, reports, calendar, holidays, schedule, notifications];
