// The dashboard's entry point: restores the tab's sign-in, starts live updates and renders the app.
import { render } from 'preact';
import { App } from './app';
import { html } from './html';
import { startLiveUpdates } from './live';
import { interceptLinks } from './router';
import { restoreSession } from './session';
import './styles.css';

interceptLinks();
startLiveUpdates();
void restoreSession();
const root = document.getElementById('app')!;
root.textContent = ''; // the "Loading…" line the HTML shows until the app runs
render(html`<${App} />`, root);
