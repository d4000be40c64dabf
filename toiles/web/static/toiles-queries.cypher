// The graph model's example queries (docs/graph-model.md), for Neo4j Browser:
// drag this file into Browser's Favourites, or open the guide that `toiles serve` serves
// at /neo4j/guide.html (played on connecting by the server that `make neo4j-start` runs).

// 1. The actors of a commune (Béthune, INSEE 62119) in the latest energy toile:
MATCH (:Toile {id: 'artois-energie'})<-[:VERSION_OF]-(v:ToileVersion {latest: true})
MATCH (a:Actor {commune_insee: '62119'})-[:IN_VERSION]->(v)
RETURN a.id, a.name, a.kind, a.naf
ORDER BY a.name;

// 2. Heat flows above 1 GWh a year (any unit: `quantity_base` is in MWh for energy):
MATCH (:Toile {id: 'artois-energie'})<-[:VERSION_OF]-(v:ToileVersion {latest: true})
MATCH (v)<-[:IN_VERSION]-(s:Actor)-[f:FLOW]->(t:Actor)
WHERE f.kind IN ['chaleur', 'chaleur_fatale', 'vapeur']
  AND f.family = 'energy' AND f.quantity_base > 1000
RETURN s.name AS source, t.name AS target, f.kind, f.quantity, f.unit, f.quantity_base AS mwh
ORDER BY mwh DESC;

// 3. The suppliers and the clients of one actor:
MATCH (:Toile {id: 'artois-energie'})<-[:VERSION_OF]-(v:ToileVersion {latest: true})
MATCH (a:Actor {id: 'rcu-bethune'})-[:IN_VERSION]->(v)
OPTIONAL MATCH (supplier:Actor)-[fin:FLOW]->(a)
OPTIONAL MATCH (a)-[fout:FLOW]->(client:Actor)
RETURN a.name,
       collect(DISTINCT supplier.name + ' (' + fin.kind + ')') AS suppliers,
       collect(DISTINCT client.name + ' (' + fout.kind + ')') AS clients;

// 4. The same organisations in the water toile and in the energy toile: same SIRET (indexed), or the same id for actors without one (communes, networks, the outside):
MATCH (:Toile {id: 'artois-eau-industrielle'})<-[:VERSION_OF]-(w:ToileVersion {latest: true})
MATCH (:Toile {id: 'artois-energie'})<-[:VERSION_OF]-(e:ToileVersion {latest: true})
MATCH (a:Actor)-[:IN_VERSION]->(w)
CALL {
  WITH a, e
  MATCH (b:Actor {siret: a.siret})-[:IN_VERSION]->(e) RETURN b, 'siret' AS matched_by
  UNION
  WITH a, e
  MATCH (b:Actor {id: a.id})-[:IN_VERSION]->(e) RETURN b, 'id' AS matched_by
}
RETURN a.id, a.name AS in_water, b.name AS in_energy, collect(matched_by) AS matched_by
ORDER BY a.id;

// 5. The heat flows inside one business park (both ends in the same ZAE):
MATCH (:Toile {id: 'artois-energie'})<-[:VERSION_OF]-(v:ToileVersion {latest: true})
MATCH (v)<-[:IN_VERSION]-(s:Actor)-[f:FLOW]->(t:Actor)
WHERE s.zae IS NOT NULL AND s.zae = t.zae
  AND f.kind IN ['chaleur', 'chaleur_fatale', 'vapeur']
RETURN s.zae AS zae, s.name AS source, t.name AS target, f.kind, f.quantity_base AS mwh
ORDER BY zae, mwh DESC;

// 6. Two versions of a toile compared: flows added, removed or changed between T0 and T1:
MATCH (:Toile {id: 'artois-energie'})<-[:VERSION_OF]-(v0:ToileVersion {version: 'T0'})
MATCH (:Toile {id: 'artois-energie'})<-[:VERSION_OF]-(v1:ToileVersion {version: 'T1'})
CALL {
  WITH v0 MATCH (v0)<-[:IN_VERSION]-(:Actor)-[f:FLOW]->() RETURN collect(f) AS before
}
CALL {
  WITH v1 MATCH (v1)<-[:IN_VERSION]-(:Actor)-[f:FLOW]->() RETURN collect(f) AS after
}
WITH [f IN before | f.id] AS ids0, [f IN after | f.id] AS ids1, before, after
RETURN [i IN ids1 WHERE NOT i IN ids0] AS added,
       [i IN ids0 WHERE NOT i IN ids1] AS removed,
       [f IN after WHERE f.id IN ids0 AND NOT any(g IN before WHERE g.id = f.id
          AND g.quantity_base = f.quantity_base) | f.id] AS changed;

// 7. The waste heat lost to the outside, by source, that a neighbour could use:
MATCH (:Toile {id: 'artois-energie'})<-[:VERSION_OF]-(v:ToileVersion {latest: true})
MATCH (v)<-[:IN_VERSION]-(s:Actor)-[f:FLOW {kind: 'chaleur_fatale'}]->(:Actor {kind: 'exterieur'})
RETURN s.name, s.zae, sum(f.quantity_base) AS lost_mwh
ORDER BY lost_mwh DESC;

// 8. Actors within 2 km of an actor that releases waste heat (candidates for a heat loop):
MATCH (:Toile {id: 'artois-energie'})<-[:VERSION_OF]-(v:ToileVersion {latest: true})
MATCH (v)<-[:IN_VERSION]-(s:Actor)-[:FLOW {kind: 'chaleur_fatale'}]->(:Actor {kind: 'exterieur'})
MATCH (n:Actor)-[:IN_VERSION]->(v)
WHERE n <> s AND n.kind <> 'exterieur'
  AND point.distance(s.location, n.location) < 2000
RETURN s.name AS source, n.name AS neighbour,
       round(point.distance(s.location, n.location)) AS metres
ORDER BY source, metres;

// 9. Totals per flow kind and unit family in each toile (every latest version):
MATCH (t:Toile)<-[:VERSION_OF]-(v:ToileVersion {latest: true})
MATCH (v)<-[:IN_VERSION]-(:Actor)-[f:FLOW]->()
WHERE f.quantity_base IS NOT NULL
RETURN t.id AS toile, f.kind, f.family, count(f) AS flows, sum(f.quantity_base) AS total
ORDER BY toile, total DESC;

// 10. The actors that hold the ecosystem together: most partners, in one EPCI (CABBALR):
MATCH (:Toile {id: 'artois-eau-industrielle'})<-[:VERSION_OF]-(v:ToileVersion {latest: true})
MATCH (a:Actor {epci: 'CABBALR'})-[:IN_VERSION]->(v)
WHERE a.kind <> 'exterieur'
RETURN a.name, a.kind, COUNT { (a)-[:FLOW]-() } AS flows,
       COUNT { (a)-[:FLOW]-(other) WHERE other.kind <> 'exterieur' } AS local_flows
ORDER BY flows DESC
LIMIT 10;

// 11. Every stored version, with its state (what `toiles list` shows, plus loads in progress):
MATCH (v:ToileVersion)
RETURN v.toile_id, v.version, v.state, v.latest, v.actors, v.flows, v.saved_at
ORDER BY v.toile_id, v.version;
