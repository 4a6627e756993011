// The post thread (see post-thread.ts): makes the attempts it is sent and answers with how each went, BATCH_MS's
// answers in one message.
import { parentPort, workerData } from 'node:worker_threads';
import { Poster, type PostOptions } from './post.js';
import { BATCH_MS, type PostDone, type PostJob } from './post-thread.js';

const poster = new Poster(workerData as PostOptions);
const answers: PostDone[] = [];

parentPort!.on('message', (message: PostJob[] | 'stop') => {
  if (message === 'stop') {
    poster.close();
    parentPort!.close();
    return;
  }
  for (const { n, request } of message)
    void poster.post(request).then((result) => {
      if (answers.length === 0) setTimeout(() => parentPort!.postMessage(answers.splice(0)), BATCH_MS);
      answers.push({ n, result });
    });
});
