using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Node.Api;

// The work routes' answers (WorkApi), in the original orchestrator's shapes. A field the original leaves out when it
// has nothing to say (a claim's fencing_token outside Raft, the work of "no_work_available") is left out here too.

/// <summary>POST /work/add.</summary>
public sealed record WorkAdded(string Status, string WorkId, JobType WorkType, int Priority, WorkItem Work);

/// <summary>GET /work/claim: <c>{status}</c>, <c>{status, work}</c> or <c>{status, work, fencing_token}</c>.</summary>
public sealed record WorkClaimed(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] WorkItem? Work = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FencingToken = null);

/// <summary>POST /work/claim: <c>{claimed, work_id}</c>, with <c>fencing_token</c> when Raft issued one.</summary>
public sealed record ClaimAnswer(
    bool Claimed,
    string WorkId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FencingToken);

/// <summary>POST /work/start, /complete, /fail, /cancel: what became of the item.</summary>
public sealed record WorkChanged(string Status, WorkItem Work);

/// <summary>GET /work.</summary>
public sealed record WorkList(IReadOnlyList<WorkItem> Items, int Count);

/// <summary>One item of POST /work/add_batch that was not added.</summary>
public sealed record BatchError(int Index, string Error, string Code);

/// <summary>POST /work/add_batch (<c>errors</c> null when every item was added).</summary>
public sealed record BatchAdded(string Status, int Count, IReadOnlyList<string> WorkIds, IReadOnlyList<BatchError>? Errors);

/// <summary>GET /work/claim_batch: each item with its <c>fencing_token</c> when it has one.</summary>
public sealed record BatchClaimed(string Status, int Count, IReadOnlyList<JsonObject> Items);

/// <summary>GET /work/node/{node_id}: the node's claimed and running items, newest first.</summary>
public sealed record NodeWork(string NodeId, IReadOnlyList<WorkItem> WorkItems, int Count);

/// <summary>GET /work/history.</summary>
public sealed record WorkHistory(IReadOnlyList<WorkItem> History, int Count, int Limit, string? StatusFilter);
