// A k6 load test written for this project (the Go original's runs 10 virtual users with one fixed body):
// 1 to 35 virtual users over 30 s, 35 for a minute, back to 0 over 30 s, posting random valid orders.
// Run: k6 run k6/script.js   (BASE_URL defaults to the pipeline's default address)
// On this project's build machines k6 is not installable; bench/ uses wrk for the recorded figures.
import http from 'k6/http';
import { check } from 'k6';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:1378';
const CHANNELS = [0, 1, 2, 3, 4, 11, 12, 13, 14, 21, 23, 31, 32, 33, 34, 41, 42, 51, 52, 53, 54, 61];

export const options = {
  scenarios: {
    publish: {
      executor: 'ramping-vus',
      startVUs: 1,
      stages: [
        { duration: '30s', target: 35 },
        { duration: '1m', target: 35 },
        { duration: '30s', target: 0 },
      ],
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    http_req_duration: ['p(95)<50'],
  },
};

export default function () {
  const order = {
    src_currency: Math.floor(Math.random() * 1000),
    dst_currency: Math.floor(Math.random() * 1000),
    description: `k6 order ${__VU}-${__ITER}`,
    channel: CHANNELS[Math.floor(Math.random() * CHANNELS.length)],
  };
  const res = http.post(`${BASE_URL}/orders/`, JSON.stringify(order), {
    headers: { 'Content-Type': 'application/json' },
  });
  check(res, {
    success: (r) => r.status === 200 && r.json('id') !== undefined,
  });
}
