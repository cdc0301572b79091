// The live page: places demo orders, follows them through the services over server-sent events.
'use strict';

const SERVICES = ['order-service', 'inventory-service', 'payment-service', 'notification-service'];
const state = { selected: null, order: null, events: new Map(), recent: new Map() };
const $ = (id) => document.getElementById(id);

function text(value) {
  return value == null ? '' : String(value);
}

function money(order) {
  return Number(order.totalAmount).toFixed(2) + ' ' + order.currency;
}

function time(iso) {
  return new Date(iso).toLocaleTimeString([], { hour12: false }) + '.' + iso.slice(20, 23);
}

async function json(url, options) {
  const response = await fetch(url, options);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.detail || body.title || response.status + ' ' + response.statusText);
  }
  return body;
}

function orderRow(order) {
  const row = document.createElement('tr');
  row.dataset.orderId = order.orderId;
  const link = document.createElement('button');
  link.type = 'button';
  link.className = 'order-link';
  link.textContent = order.orderId.slice(0, 8);
  link.setAttribute('aria-label', 'Show order ' + order.orderId);
  link.addEventListener('click', () => select(order.orderId));
  const status = document.createElement('span');
  status.className = 'status status-' + order.status;
  status.textContent = order.status + (order.cancellationReason ? ' · ' + order.cancellationReason : '');
  const cells = [time(order.createdAt), link, order.customerId, money(order), status];
  for (const cell of cells) {
    const td = document.createElement('td');
    td.append(cell);
    row.append(td);
  }
  return row;
}

function renderOrders(tbody, orders, empty) {
  tbody.replaceChildren(...orders.map(orderRow));
  if (orders.length === 0) {
    const row = document.createElement('tr');
    const td = document.createElement('td');
    td.colSpan = 5;
    td.className = 'hint';
    td.textContent = empty;
    row.append(td);
    tbody.append(row);
  }
}

function renderRecent() {
  const orders = [...state.recent.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 20);
  renderOrders($('recent'), orders, 'No orders yet.');
}

async function loadLists() {
  const lists = await json('/api/live/orders?limit=20');
  state.recent = new Map(lists.recent.map((order) => [order.orderId, order]));
  renderRecent();
  renderOrders($('stuck'), lists.stuck, 'None: every order was decided in time.');
  $('stuck-hint').textContent = 'Orders still pending after ' + lists.stuckAfter.replace('PT', '').toLowerCase() + '.';
}

async function loadProducts() {
  const products = await json('/api/live/products');
  const select = $('product');
  select.replaceChildren(...products.map((product) => {
    const option = document.createElement('option');
    option.value = product.productId;
    option.textContent = product.productId + ' · ' + product.name + ' · ' + Number(product.price).toFixed(2) + ' ' + product.currency;
    return option;
  }));
  if (products.length === 0) {
    const option = document.createElement('option');
    option.value = '';
    option.textContent = 'No products in the catalog yet';
    select.append(option);
  }
}

function renderOrder() {
  const order = state.order;
  $('order-none').hidden = order != null;
  $('order-detail').hidden = order == null;
  if (order == null) {
    return;
  }
  $('order-id').textContent = order.orderId;
  const status = $('order-status');
  status.className = 'status status-' + order.status;
  status.textContent = order.status + (order.cancellationReason ? ' · ' + order.cancellationReason : '');
  $('order-customer').textContent = text(order.customerId);
  $('order-total').textContent = order.totalAmount == null ? '' : money(order);
  $('order-trace').textContent = text(order.traceId);
  renderTimeline();
}

function renderTimeline() {
  const events = [...state.events.values()].sort((a, b) => a.time.localeCompare(b.time));
  const start = events.length ? Date.parse(events[0].time) : 0;
  const tbody = $('timeline');
  const shown = new Set([...tbody.rows].map((row) => row.dataset.eventId));
  tbody.replaceChildren(...events.map((event) => {
    const row = document.createElement('tr');
    row.dataset.eventId = event.eventId;
    if (event.compensating) row.classList.add('compensating');
    if (!shown.has(event.eventId)) row.classList.add('new');
    const trace = document.createElement('code');
    trace.textContent = text(event.traceId);
    trace.title = 'Trace ' + text(event.traceId);
    for (const cell of ['+' + (Date.parse(event.time) - start), event.service, event.type, text(event.detail), trace]) {
      const td = document.createElement('td');
      td.append(cell);
      row.append(td);
    }
    return row;
  }));
  for (const service of SERVICES) {
    const mine = events.filter((event) => event.service === service);
    const lane = document.querySelector('.lanes li[data-service="' + service + '"]');
    const last = mine[mine.length - 1];
    lane.classList.toggle('done', last != null && !mine.some((event) => event.compensating));
    lane.classList.toggle('failed', mine.some((event) => event.compensating));
    $('lane-' + service).textContent = last == null ? '–' : last.type + (last.detail ? ' ' + last.detail : '');
  }
}

async function select(orderId) {
  if (state.selected !== orderId) {
    state.selected = orderId;
    state.order = null;
    state.events = new Map();
  }
  const timeline = await json('/api/orders/' + orderId + '/timeline');
  if (state.selected !== orderId) return;
  // Updates that arrived while the timeline was read are kept: they may be newer than it.
  for (const event of timeline.events) state.events.set(event.eventId, event);
  const known = state.order && state.order.status !== 'PENDING' ? state.order : null;
  const summary = known || state.recent.get(orderId) || {};
  state.order = known || { ...summary, orderId, status: timeline.status, cancellationReason: timeline.cancellationReason };
  state.order.traceId = timeline.traceId;
  renderOrder();
}

function onUpdate(update) {
  const order = update.order;
  state.recent.set(order.orderId, order);
  renderRecent();
  if (order.orderId === state.selected) {
    state.order = order;
    for (const event of update.events) state.events.set(event.eventId, event);
    renderOrder();
  }
}

function connect() {
  const source = new EventSource('/api/live/events');
  source.addEventListener('open', () => {
    $('connection').textContent = 'Live: updates arrive as they happen.';
    // Anything that happened while the stream was down is read again.
    loadLists().catch(() => {});
    if (state.selected) select(state.selected).catch(() => {});
  });
  source.addEventListener('order', (message) => onUpdate(JSON.parse(message.data)));
  source.addEventListener('error', () => {
    $('connection').textContent = 'Disconnected; reconnecting…';
  });
}

async function place(event) {
  event.preventDefault();
  const result = $('place-result');
  result.textContent = 'Placing…';
  try {
    const order = await json('/api/orders', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        customerId: $('customer').value.trim(),
        items: [{ productId: $('product').value, quantity: Number($('quantity').value) }],
      }),
    });
    result.textContent = 'Placed order ' + order.orderId + '.';
    state.recent.set(order.orderId, { ...order });
    renderRecent();
    await select(order.orderId);
  } catch (failure) {
    result.textContent = 'Not placed: ' + failure.message;
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('place-form').addEventListener('submit', place);
  loadProducts().catch((failure) => { $('place-result').textContent = 'Cannot read the catalog: ' + failure.message; });
  loadLists().catch(() => {});
  setInterval(() => loadLists().catch(() => {}), 5000);
  connect();
});
