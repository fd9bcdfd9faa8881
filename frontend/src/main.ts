import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { session } from './lib/auth.svelte';
import { i18n } from './lib/i18n/index.svelte';
import { startRouter } from './lib/router/index.svelte';

// The first screen is drawn in its language: wait for that language's messages.
await i18n.init();
document.documentElement.lang = i18n.locale;
startRouter();
session.watchOtherTabs();
void session.restore();

const target = document.getElementById('app');
if (!target) throw new Error('The page has no #app element.');

export default mount(App, { target });
