-- Where did each group stand on day `d`: its own word, and each member in office that day? The figures (min, max,
-- mean, divided) count the members only, and are null with none in office: the group's own word is own_stance.
-- With `pairs` (see logged_pairs), only the stances of those (actor_id, topic_id) pairs count.
create or replace macro group_stance_as_of(d, known_at := 'infinity', pairs := 'all') as table
with stances as (
    select *
    from stance_as_of(d, known_at := known_at, pairs := pairs)
),

members as (
    select distinct
        group_id,
        actor_id
    from memberships
    where coalesce(valid_from, '-infinity'::date) <= d::date
        and d::date < coalesce(valid_to, 'infinity'::date)
),

groups as (
    select distinct group_id from memberships
),

voices as (
    select
        m.group_id,
        s.topic_id,
        s.actor_id,
        s.stance,
        s.score,
        false as own
    from members as m
    inner join stances as s on s.actor_id = m.actor_id
    union all
    select
        s.actor_id as group_id,
        s.topic_id,
        s.actor_id,
        s.stance,
        s.score,
        true as own
    from stances as s
    semi join groups as g on g.group_id = s.actor_id
)

select
    v.group_id,
    g.name as group_name,
    v.topic_id,
    any_value(v.stance) filter (where v.own) as own_stance,
    any_value(v.score) filter (where v.own) as own_score,
    count(*) filter (where not v.own) as n_members,
    min(v.score) filter (where not v.own) as min_score,
    max(v.score) filter (where not v.own) as max_score,
    round(avg(v.score) filter (where not v.own), 2) as mean_score,
    coalesce(
        list({'actor_id': v.actor_id, 'stance': v.stance, 'score': v.score} order by v.actor_id) filter (where not v.own),
        []
    ) as members,
    bool_or(v.score > 0) filter (where not v.own) and bool_or(v.score < 0) filter (where not v.own) as divided
from voices as v
left join actors as g on g.actor_id = v.group_id
group by v.group_id, g.name, v.topic_id
order by v.topic_id, v.group_id
