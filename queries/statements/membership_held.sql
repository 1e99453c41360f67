-- Does the registry already hold this membership, its dates included ($actor_id, $group_id, $role, $valid_from, $valid_to)?
select count(*) > 0 from memberships
where actor_id = $actor_id and group_id = $group_id and role = $role
    and valid_from is not distinct from $valid_from and valid_to is not distinct from $valid_to
