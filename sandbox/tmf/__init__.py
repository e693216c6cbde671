"""The sandbox as a TM Forum Open API v4 server (`/tmf-api/{apiName}/v4/...`).

The shared parts every API uses:
- `query`: a list request's `fields`, `offset`, `limit` and attribute filters, parsed once;
- `matching` and `fields`: what a filter means on a JSON entity, and the `fields` projection;
- `sources`: where a resource's entities come from — the world (derived on the fly, read-only)
  and the generic store of entities clients created (`entity_store`) — and one paging rule over
  all of them;
- `resource` and `routes`: a resource described once, served with list / create / get / patch /
  delete and TMF's headers, statuses and `Error` body;
- `errors` and `auth`: TMF's `Error`, the bearer token (or Basic with the token as password).

Each API is a module that describes its resources and their world sources (`usage_api`,
`communication_api`), registered in `apis.ALL`. To serve another resource:
1. describe it — `Resource(api, "bucket", "Bucket", required=(...the published <Type>_Create's
   required...), world=..., check_create=..., complete=...)` — in its API's module; `world` is
   a function of the sandbox's `Context` giving a `Source`: an `IterableSource` that makes every
   entity (a catalog), or a class with its own `select` that applies the filters it can index
   before making entities (`world_usage.WorldUsage`; `world_subscribers.SubscriberSource` for
   one entity per subscriber); a world entity made as `etags.Versioned` is answered with an
   `ETag` (say what it carries in `etag_doc`); a create that is more than keeping the body (an
   order applied to the world, a priced cart) is `create=` with its `CreateDoc` (`ordering_api`,
   `cart_api`), and a PATCH that is more than a merge patch of a created entity (a pick-up
   order's state, `pickup_writes`) is `patch=` with its `patch_doc`;
2. list the API's resources in `apis.ALL` (routes, OpenAPI entries and TMF errors follow);
3. regenerate `resources/openapi.json` (`python -m sandbox.openapi`) and add the resource to
   `test_tmf_apis` in tests/integration/test_sandbox_openapi_conformance.py, which must provoke
   every status the document lists.
"""
