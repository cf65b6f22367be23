// A file-hashing thread of build-cache-key (see FileHasher): bundled as dist/build-cache-key/hash-worker.js.
import { workerData, type MessagePort } from 'node:worker_threads';
import { serveHashRequests } from './hashing.js';

const { root, port, regularFiles } = workerData as { root: string; port: MessagePort; regularFiles: boolean };
serveHashRequests(port, root, regularFiles);
