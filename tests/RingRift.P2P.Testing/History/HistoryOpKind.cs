using System.Text.Json.Serialization;

namespace RingRift.P2P.Testing.History;

/// <summary>What a client asked the work queue to do. Numbers are append-only (they appear in exported histories).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HistoryOpKind>))]
public enum HistoryOpKind
{
    /// <summary>Add one item with a caller-chosen work id.</summary>
    [JsonStringEnumMemberName("add")] Add = 0,
    /// <summary>Claim the next pending item; Ok returns its work id and fencing token, or none.</summary>
    [JsonStringEnumMemberName("claim_next")] ClaimNext = 1,
    /// <summary>Claim one named item; Ok returns its fencing token.</summary>
    [JsonStringEnumMemberName("claim")] Claim = 2,
    /// <summary>Mark a claimed item running; carries the claim's token.</summary>
    [JsonStringEnumMemberName("start")] Start = 3,
    /// <summary>Complete an item with a result holding a unique "op" id; carries the claim's token.</summary>
    [JsonStringEnumMemberName("complete")] Complete = 4,
    /// <summary>Report an item failed; carries the claim's token.</summary>
    [JsonStringEnumMemberName("fail")] Fail = 5,
}

/// <summary>How an operation ended, as the client saw it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HistoryOutcome>))]
public enum HistoryOutcome
{
    /// <summary>Invoked, no answer recorded yet (treated like <see cref="Unknown"/> by the checker).</summary>
    [JsonStringEnumMemberName("pending")] Pending = 0,
    /// <summary>The queue acknowledged it: it happened.</summary>
    [JsonStringEnumMemberName("ok")] Ok = 1,
    /// <summary>A definite refusal (409, 404, invalid transition): it did not happen.</summary>
    [JsonStringEnumMemberName("fail")] Fail = 2,
    /// <summary>Timeout or lost connection: it may or may not have happened.</summary>
    [JsonStringEnumMemberName("unknown")] Unknown = 3,
}
