using System.Text.Json.Serialization;

namespace RingRift.P2P.Testing.History;

/// <summary>
/// One recorded client operation: what was asked (kind, work id, token, command id), when
/// (monotonic ticks of the recorder's clock) and how it ended.
/// </summary>
/// <remarks>
/// For <see cref="HistoryOpKind.ClaimNext"/> the work id and token are those the queue returned
/// (both null when it returned none or did not answer). For <see cref="HistoryOpKind.Claim"/> the
/// token is the one returned. For Start / Complete / Fail the token is the one presented.
/// </remarks>
public sealed record HistoryOp
{
    /// <summary>Position in invoke order, from 0.</summary>
    public required int Id { get; init; }
    public required string Client { get; init; }
    public required HistoryOpKind Kind { get; init; }
    public required string CommandId { get; init; }
    public string? WorkId { get; init; }
    public string? Token { get; init; }
    /// <summary>The "op" id inside a Complete's result object; null for other kinds.</summary>
    public string? ResultOpId { get; init; }
    public required long InvokeTicks { get; init; }
    /// <summary>When the outcome was recorded; null while <see cref="Outcome"/> is Pending.</summary>
    public long? CompleteTicks { get; init; }
    public HistoryOutcome Outcome { get; init; } = HistoryOutcome.Pending;
    /// <summary>Why it failed or is unknown, as the client saw it.</summary>
    public string? Reason { get; init; }

    /// <summary>True when the queue acknowledged it.</summary>
    [JsonIgnore]
    public bool IsOk => Outcome == HistoryOutcome.Ok;

    /// <summary>True when it may have happened: acknowledged, unknown, or never answered.</summary>
    [JsonIgnore]
    public bool MayHaveHappened => Outcome != HistoryOutcome.Fail;

    /// <summary>True for a claim that acknowledged an item (a ClaimNext that returned none is not one).</summary>
    [JsonIgnore]
    public bool IsOkClaim => IsOk && Kind is HistoryOpKind.ClaimNext or HistoryOpKind.Claim && WorkId is not null && Token is not null;

    /// <summary>Completion time for ordering; an unanswered op counts as ending at <see cref="long.MaxValue"/>.</summary>
    [JsonIgnore]
    public long EndTicks => CompleteTicks ?? long.MaxValue;

    /// <summary>A short form for violation messages, e.g. <c>#12 c3 Complete w7 token 2.14 cmd c3-9 (ok)</c>.</summary>
    public string Describe() =>
        $"#{Id} {Client} {Kind} {WorkId ?? "-"} token {Token ?? "-"} cmd {CommandId} ({Outcome.ToString().ToLowerInvariant()})";
}

/// <summary>The handle <see cref="WorkHistory.Invoke"/> returns, passed back when the outcome is known.</summary>
public readonly record struct HistoryOpHandle(int Id);
