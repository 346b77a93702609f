// Package cluster coordinates several Lifeboat replicas through etcd.
//
// Every replica serves traffic. One replica, elected through an etcd
// lease-backed election, is the decider: it evaluates triggers, walks the
// levels, runs actions and restore steps, and replays the journal. The
// others follow: they apply the decided state the watch delivers, and run
// nothing external.
//
//	 replica a (decider)        replica b              replica c
//	 ───────────────────        ─────────              ─────────
//	 campaign: won              campaign: waits        campaign: waits
//	 heartbeat, stats  ──┐   heartbeat, stats ──┐   heartbeat, stats ──┐
//	 Append ─────────────┤   Append ────────────┤   Append ────────────┤
//	 fenced writes ──────┤   watch state ◄──────┤   watch state ◄──────┤
//	                     ▼                      ▼                      ▼
//	etcd  <prefix>election/<lease>   who decides (first created key wins)
//	      <prefix>replicas/<name>    heartbeat and health verdict  (lease)
//	      <prefix>stats/<name>       per-route traffic summary and
//	                                 window buckets                (lease)
//	      <prefix>state              decided level and routing     (fenced)
//	      <prefix>steps/<inc>/<step>/{intent,outcome}              (fenced)
//	      <prefix>incidents/<id>     incident documents            (fenced)
//	      <prefix>notify/<name>      who was paged for what        (fenced)
//	      <prefix>journal/<session>/<replica>.<boot>.<n>  acknowledged
//	                                 writes, until the decider's Done
//
// Keys on a replica's lease vanish when the replica stops renewing it, so a
// dead replica's figures and vote expire with it. Journal entries are on no
// lease: they must outlive the replica that accepted them.
//
// Fencing: every write the decider makes is an etcd transaction conditioned
// on its election key still existing with the revision it won with. A
// decider whose lease expired, or whose key was deleted, cannot write
// however late its own process notices. It also stops acting at once on its
// own: IsDecider is false from the moment its lease may have expired, which
// it computes from the send time of its last renewal.
//
// Roles switches a replica between the two: it begins a decider's term
// (the caller's callbacks import the incidents, build the paging chain on
// the Ledger and start the engine, whose actions go through a StepRunner)
// when the Member wins, and ends it, waiting, when the Member stops
// deciding. The Mirror keeps every replica's incidents the decider's: it
// publishes on every timeline entry, and before a StepRunner runs any
// external action, so no action happens that etcd has no incident for.
//
// The package never logs. It reports leadership changes and lost sessions
// as events, and hands each new decided state to a callback.
package cluster
