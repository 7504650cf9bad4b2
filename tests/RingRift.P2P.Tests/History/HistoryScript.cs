using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Testing.History;

namespace RingRift.P2P.Tests.History;

/// <summary>Writes small synthetic histories by hand: each call is one operation, invoked and ended at once on a logical clock.</summary>
internal sealed class HistoryScript
{
    private long _tick;
    private int _commands;

    public HistoryScript() => History = new WorkHistory(() => ++_tick);

    public WorkHistory History { get; }

    public void Add(string client, string workId, HistoryOutcome outcome = HistoryOutcome.Ok) =>
        End(History.Invoke(client, HistoryOpKind.Add, workId, null, Cmd(client)), outcome);

    public void Claim(string client, string workId, string token, string? commandId = null) =>
        History.Ok(History.Invoke(client, HistoryOpKind.Claim, workId, null, commandId ?? Cmd(client)), token: token);

    public void ClaimNext(string client, string workId, string token) =>
        History.Ok(History.Invoke(client, HistoryOpKind.ClaimNext, null, null, Cmd(client)), workId, token);

    public void Start(string client, string workId, string token, HistoryOutcome outcome = HistoryOutcome.Ok) =>
        End(History.Invoke(client, HistoryOpKind.Start, workId, token, Cmd(client)), outcome);

    public void Fail(string client, string workId, string token, HistoryOutcome outcome = HistoryOutcome.Ok, string? commandId = null) =>
        End(History.Invoke(client, HistoryOpKind.Fail, workId, token, commandId ?? Cmd(client)), outcome);

    public void Complete(string client, string workId, string token, string commandId, HistoryOutcome outcome = HistoryOutcome.Ok) =>
        End(History.Invoke(client, HistoryOpKind.Complete, workId, token, commandId, new JsonObject { ["op"] = $"op-{commandId}" }), outcome);

    /// <summary>Invokes an op and returns its handle without an outcome, to interleave operations in real time.</summary>
    public HistoryOpHandle Begin(string client, HistoryOpKind kind, string? workId, string? token) =>
        History.Invoke(client, kind, workId, token, Cmd(client));

    public HistoryReport Check(IReadOnlyList<WorkItem> finalItems, bool requeues = false, Dictionary<string, string>? currentTokens = null) =>
        HistoryChecker.Check(History, finalItems, new HistoryCheckOptions
        {
            RequeuesPossible = requeues,
            CurrentTokens = currentTokens ?? [],
        });

    public static WorkItem Item(string workId, WorkStatus status = WorkStatus.Pending, int attempts = 0, string? claimedBy = null, string? resultOp = null, double? completedAt = null) => new()
    {
        WorkId = workId,
        WorkType = JobType.Selfplay,
        Status = status,
        Attempts = attempts,
        ClaimedBy = claimedBy ?? (status is WorkStatus.Claimed or WorkStatus.Running ? "c1" : null),
        CompletedAt = completedAt ?? (status == WorkStatus.Completed ? 100 : null),
        Result = resultOp is null ? null : new JsonObject { ["op"] = resultOp },
    };

    private string Cmd(string client) => $"{client}-{_commands++}";

    private void End(HistoryOpHandle handle, HistoryOutcome outcome)
    {
        switch (outcome)
        {
            case HistoryOutcome.Ok: History.Ok(handle); break;
            case HistoryOutcome.Fail: History.Fail(handle, "refused"); break;
            case HistoryOutcome.Unknown: History.Unknown(handle, "timeout"); break;
            default: break; // Pending: never answered
        }
    }
}
