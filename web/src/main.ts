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
render(html`<${App} />`, document.getElementById('app')!);
