// Entry: mounts the workbench, and in the production build the service worker and its update notice. UI thread.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { UpdateNotice } from './components/UpdateNotice';
import { startServiceWorker, useUpdateReady } from './offline/serviceWorkerUpdates';
import './styles.css';

// Which build is running (vite.config.ts): lets a person or a test see which version the service worker serves.
document.documentElement.dataset.build = import.meta.env.LUCID_BUILD_ID;

function OfflineUpdateNotice() {
  const apply = useUpdateReady();
  return apply ? <UpdateNotice onReload={apply} /> : null;
}

createRoot(document.getElementById('root')!).render(<StrictMode><App /><OfflineUpdateNotice /></StrictMode>);

// Offline: the production build's service worker precaches the app, its WASM, the models and the sample study.
if (import.meta.env.PROD) startServiceWorker();
