-- Template version review results reach the ISV as webhooks (template.review_approved / template.review_rejected),
-- like authorization events: routed by the payload's isvTenantId. The event's tenant is the ISV itself, so no
-- merchantId is added to these. Otherwise as V9's relay_outbox_events.
create or replace function relay_outbox_events(p_batch int) returns int
    language plpgsql volatile security definer set search_path = public
as $$
declare
    relayed int;
begin
    with claimed as (
        update outbox_events o set published_at = now()
        where (o.tenant_id, o.id) in (select e.tenant_id, e.id from outbox_events e
                                      where e.published_at is null
                                      order by e.occurred_at
                                      limit p_batch
                                      for update skip locked)
        returning o.*
    ), typed as (
        select c.*,
               case when c.type like 'authorization.%' then c.type
                    when c.type like 'template.review_%' then c.type
                    when c.type = 'release.approve' then 'version.review_approved'
                    when c.type = 'release.reject' then 'version.review_rejected'
                    when c.type like 'release.%' then 'release.changed'
               end as webhook_type
        from claimed c
    ), targets as (
        select t.*, (t.payload::jsonb ->> 'isvTenantId')::uuid as isv
        from typed t where t.webhook_type like 'authorization.%' or t.webhook_type like 'template.%'
        union all
        select t.*, a.isv_tenant_id
        from typed t
        join (select distinct au.tenant_id, au.isv_tenant_id from authorizations au where au.state = 'ACTIVE') a
          on a.tenant_id = t.tenant_id
        where t.webhook_type not like 'authorization.%' and t.webhook_type not like 'template.%'
    ), inserted as (
        insert into webhook_deliveries (tenant_id, id, event_id, event_tenant_id, type, occurred_at, payload, state,
                                        attempts, next_attempt_at, created_at)
        select g.isv, gen_random_uuid(), g.id, g.tenant_id, g.webhook_type, g.occurred_at,
               case when g.webhook_type like 'template.%' then g.payload
                    else jsonb_set(g.payload::jsonb, '{merchantId}', to_jsonb(g.tenant_id::text))::text end,
               'PENDING', 0, now(), now()
        from targets g
        join isv_applications app on app.tenant_id = g.isv and app.webhook_url is not null
        on conflict (tenant_id, event_id) do nothing
        returning 1
    )
    select count(*) into relayed from claimed;
    return relayed;
end $$;
