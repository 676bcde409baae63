#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The Tandem authors
#
# Writes the seed corpora of the fuzzers (tests/fuzz/corpus/<fuzzer>/seed-*)
# from the real fixtures (tests/fixtures/model-*.json), the shipped mapping
# and profiles, and the JSON shapes the connectors send and receive
# (docs/shopify.md, docs/webshop-api.md). Crash inputs found by fuzzing live next
# to them as crash-<fuzzer>-<what> and are never rewritten by this script.
#   tests/fuzz/make-seeds.py            (from the source tree's top)
import json
import os
import random
import sys

top = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
corpus = os.path.join(top, 'tests', 'fuzz', 'corpus')


def load(*path):
    with open(os.path.join(top, *path), encoding='utf-8') as f:
        return json.load(f)


def text(*path):
    with open(os.path.join(top, *path), encoding='utf-8') as f:
        return f.read()


def write(fuzzer, name, data):
    d = os.path.join(corpus, fuzzer)
    os.makedirs(d, exist_ok=True)
    if not isinstance(data, (str, bytes)):
        data = json.dumps(data, ensure_ascii=False)
    if isinstance(data, str):
        data = data.encode('utf-8')
    with open(os.path.join(d, 'seed-' + name), 'wb') as f:
        f.write(data)


fixtures = {k: load('tests', 'fixtures', 'model-%s.json' % k)
            for k in ('customer', 'product', 'order', 'product-single')}
kinds = {'customer': 'customers', 'product': 'products', 'order': 'orders'}

cost = {'requestedQueryCost': 252, 'actualQueryCost': 12,
        'throttleStatus': {'maximumAvailable': 2000.0, 'currentlyAvailable': 1988,
                           'restoreRate': 100.0}}

# ---- Shopify --------------------------------------------------------------
for kind, conn in kinds.items():
    node = fixtures[kind]['shopify']
    write('shopify-json', 'page-' + conn, {
        'data': {conn: {'nodes': [node], 'pageInfo': {'hasNextPage': True, 'endCursor': 'eyJsYXN0X2lkIjo3MDAxfQ=='}}},
        'extensions': {'cost': cost}})
write('shopify-json', 'page-product-single', {
    'data': {'products': {'nodes': [fixtures['product-single']['shopify']],
                          'pageInfo': {'hasNextPage': False, 'endCursor': None}}},
    'extensions': {'cost': cost}})
write('shopify-json', 'throttled', {
    'errors': [{'message': 'Throttled', 'extensions': {'code': 'THROTTLED', 'documentation': 'https://shopify.dev/api/usage/rate-limits'}}],
    'extensions': {'cost': {'requestedQueryCost': 752, 'actualQueryCost': None,
                            'throttleStatus': {'maximumAvailable': 1000.0, 'currentlyAvailable': 666, 'restoreRate': 50.0}}}})
write('shopify-json', 'access-denied', {
    'errors': [{'message': 'Access denied for customers field. Required access: `read_customers` access scope.',
                'locations': [{'line': 2, 'column': 3}], 'path': ['customers'],
                'extensions': {'code': 'ACCESS_DENIED', 'documentation': 'https://shopify.dev/api/usage/access-scopes',
                               'requiredAccess': '`read_customers` access scope.'}}]})
write('shopify-json', 'internal', {'errors': [{'message': 'Internal error. Looks like something went wrong on our end.',
                                               'extensions': {'code': 'INTERNAL_SERVER_ERROR', 'requestId': 'x'}}]})
write('shopify-json', 'syntax', {'errors': [{'message': "Field 'nope' doesn't exist on type 'QueryRoot'",
                                             'locations': [{'line': 1, 'column': 3}],
                                             'extensions': {'code': 'undefinedField', 'typeName': 'QueryRoot', 'fieldName': 'nope'}}]})
write('shopify-json', 'scope-403', '[API] This action requires merchant approval for write_products scope.')
write('shopify-json', 'errors-string', {'errors': 'Invalid API key or access token (unrecognized login or wrong password)'})
write('shopify-json', 'customer-set-taken', {
    'data': {'customerSet': {'customer': None, 'userErrors': [
        {'field': ['input', 'email'], 'message': 'Email has already been taken', 'code': 'TAKEN'}]}},
    'extensions': {'cost': cost}})
write('shopify-json', 'product-set-invalid', {
    'data': {'productSet': {'product': None, 'userErrors': [
        {'field': ['input', 'variants', '0', 'sku'], 'message': 'SKU is invalid', 'code': 'INVALID'},
        {'field': None, 'message': 'Something else', 'code': None}]}}})
write('shopify-json', 'customer-set-ok', {
    'data': {'customerSet': {'customer': fixtures['customer']['shopify'], 'userErrors': []}},
    'extensions': {'cost': cost}})
write('shopify-json', 'order-cancel', {
    'data': {'orderCancel': {'job': {'id': 'gid://shopify/Job/1', 'done': False},
                             'orderCancelUserErrors': [{'field': ['orderId'], 'message': 'Order has already been cancelled', 'code': 'ORDER_ALREADY_CANCELLED'}],
                             'userErrors': []}}})
write('shopify-json', 'metafields-set-duplicate', {
    'data': {'metafieldsSet': {'metafields': [], 'userErrors': [
        {'field': ['metafields', '0', 'value'], 'message': 'Value is already taken', 'code': 'DUPLICATED_METAFIELD_VALUE', 'elementIndex': 0}]}}})
write('shopify-json', 'bulk-poll', {
    'data': {'currentBulkOperation': {'id': 'gid://shopify/BulkOperation/1', 'status': 'COMPLETED', 'errorCode': None,
                                      'objectCount': '12', 'url': 'https://storage.example/bulk.jsonl', 'partialDataUrl': None}}})


def bulk_lines(kind, node):
    """Flatten a read-shape node into bulk JSONL lines, as Shopify exports it."""
    children = {'customer': [('addressesV2', 'MailingAddress')],
                'product': [('variants', 'ProductVariant')],
                'order': [('lineItems', 'LineItem'), ('shippingLines', 'ShippingLine')]}[kind]
    root = dict(node)
    lines = []
    kids = []
    for conn, typename in children:
        value = root.pop(conn, None)
        if isinstance(value, dict):
            for i, child in enumerate(value.get('nodes', [])):
                c = dict(child)
                c.setdefault('id', '%s/%s/%d' % (node.get('id', 'gid://shopify/X/1'), typename, i))
                c['__typename'] = typename
                c['__parentId'] = node.get('id')
                kids.append(c)
    lines.append(root)
    lines.extend(kids)
    return '\n'.join(json.dumps(l, ensure_ascii=False) for l in lines) + '\n'


for kind in kinds:
    write('shopify-json', 'bulk-' + kind, bulk_lines(kind, fixtures[kind]['shopify']) * 2)
write('shopify-json', 'bulk-orphan-child', '{"__typename":"ProductVariant","id":"v1","__parentId":"gid://shopify/Product/9"}\n')

# ---- Webshop --------------------------------------------------------------
for kind, res in kinds.items():
    rec = fixtures[kind]['webshop']
    write('webshop-json', 'cursor-' + res, {'items': [rec, rec], 'next_cursor': 'c2'})
    write('webshop-json', 'cursor-last-' + res, {'items': [rec], 'next_cursor': None})
    write('webshop-json', 'page-' + res, {'data': [rec], 'page': 2, 'per_page': 100, 'total': 101})
    write('webshop-json', 'list-' + res, [rec])
    write('webshop-json', 'record-' + kind, rec)
    write('webshop-json', 'record-item-' + kind, {'item': rec})
    write('webshop-json', 'record-data-' + kind, {'data': rec})
write('webshop-json', 'deleted', {'items': [{'id': '17', 'deleted_at': '2026-11-26T10:00:00+01:00'},
                                            {'id': 18, 'deleted_at': '2026-11-26T11:00:00Z'}], 'next_cursor': None})
write('webshop-json', 'error-validation', {'error': {'code': 'validation_failed', 'message': 'The email address is not valid.', 'field': 'email'}})
write('webshop-json', 'error-duplicate', {'error': {'code': 'duplicate', 'message': 'Email already in use', 'field': 'email', 'existing_id': '42'}})
write('webshop-json', 'error-plain', {'error': 'unauthorized'})
write('webshop-json', 'link-next', '<https://shop.example/api/customers?page=2&limit=100>; rel="next", <https://shop.example/api/customers?page=9>; rel="last"')
write('webshop-json', 'link-multi-rel', '<https://shop.example/a?x=1,2>; title="a, <b>"; rel="prev next"')
write('webshop-json', 'html', '<!DOCTYPE html><html><body>502 Bad Gateway</body></html>')

# ---- Profiles ---------------------------------------------------------------
for name in ('default', 'link-basic', 'page-apikey'):
    write('profile', name, text('data', 'profiles', name + '.json'))
write('profile', 'header-auth', {'version': 1, 'name': 'h', 'auth': {'method': 'header', 'header': 'X-API-Key'},
                                 'resources': {'orders': {'paging': 'offset', 'page_size': 250,
                                                          'fields': {'id': 'meta.id', 'updated_at': 'meta.updated'},
                                                          'deleted': {'available': False}}}})

# ---- Mapping --------------------------------------------------------------
write('mapping', 'default', text('data', 'mappings', 'default.json'))
write('mapping', 'small', {'version': 1, 'customer': [
    {'webshop': 'email', 'shopify': 'defaultEmailAddress.emailAddress', 'shopify_write': 'email', 'type': 'Email', 'direction': 'both'},
    {'webshop': 'name', 'shopify': 'firstName', 'type': 'String', 'direction': 'to_shopify', 'writable': 'create'},
    {'webshop': 'addresses[]', 'shopify': 'addressesV2.nodes[]', 'shopify_write': 'addresses[]', 'type': '[MailingAddress]', 'unordered': True},
    {'webshop': 'addresses[].city', 'shopify': 'addressesV2.nodes[].city', 'shopify_write': 'addresses[].city', 'type': 'String'},
    {'webshop': 'note', 'shopify': 'note', 'type': 'String', 'empty_overwrites': True, 'writable': 'never'}],
    'product': [], 'order': []})
for kind in ('customer', 'product', 'order', 'product-single'):
    for side in ('webshop', 'shopify'):
        write('mapping', '%s-%s' % (kind, side), fixtures[kind][side])

# ---- Normalize --------------------------------------------------------------
values = ['Kari.Nordmann@Example.no', ' a@b.c ', 'no-at-sign', 'a@@b.no', '912 34 567', '+47 22 12 34 56',
          '(+47) 912 34 567', '0047 91234567', '(202) 555-0143', '10', '10.00', '12,50', '1e3', '-0.0', '1.2.3',
          '12,3.4', '99999999999999999999999999.99', '2026-11-20T09:15:00+01:00', '2026-11-20', '2026-02-30T00:00:00Z',
          'no', 'NOR', 'nok', 'XXX', 'KILOGRAMS', 'lbs', 'true', 'yes', '1', ' Ærlig  ', 'Cafe\u0301',
          'line\r\nbreak', 'vip, nyhetsbrev,  vip', '1499.00\n25', '100\n12.5', '0.995\n0']
for i, v in enumerate(values):
    write('normalize', '%02d' % i, v)
json_values = [{'amount': '1499.00', 'currencyCode': 'NOK'}, {'shopMoney': {'amount': '12.50', 'currencyCode': 'NOK'}},
               {'value': 0.5, 'unit': 'KILOGRAMS'}, {'value': '0', 'unit': 'g'}, ['b', 'a', ' a '], 42, 1.5, True, None,
               [{'city': 'Oslo'}], {'city': 'Oslo'}, 9007199254740993]
for i, v in enumerate(json_values):
    write('normalize', 'json-%02d' % i, v)

# ---- Planner: the bytes drive the world (tests/fuzz/fuzz-planner.c) --------
rng = random.Random(20261126)
for i in range(24):
    n = rng.choice([16, 48, 96, 200])
    data = bytes([i % 3, i % 4, (i // 4) % 4, i % 2, i % 4]) + bytes(rng.randrange(256) for _ in range(n))
    write('planner', '%02d' % i, data)
