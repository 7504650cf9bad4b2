using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RingRift.P2P.Testing.Wire;

namespace RingRift.P2P.Testing.History;

/// <summary>
/// Thread-safe recorder of work-queue client operations for <see cref="HistoryChecker"/>:
/// call <see cref="Invoke"/> before sending a request and exactly one of <see cref="Ok"/>,
/// <see cref="Fail"/> or <see cref="Unknown"/> when its outcome is known.
/// </summary>
/// <remarks>
/// Times are ticks of the injected clock, <see cref="Stopwatch.GetTimestamp"/> by default, so
/// "A ended before B was invoked" is a real-time order across client threads.
/// </remarks>
public sealed class WorkHistory
{
    private readonly Lock _gate = new();
    private readonly List<HistoryOp> _ops = [];
    private readonly Func<long> _clock;

    /// <param name="clock">Monotonic tick source; <see cref="Stopwatch.GetTimestamp"/> when null.</param>
    public WorkHistory(Func<long>? clock = null) => _clock = clock ?? Stopwatch.GetTimestamp;

    /// <summary>A snapshot of every operation so far, in invoke order.</summary>
    public IReadOnlyList<HistoryOp> Operations
    {
        get
        {
            lock (_gate)
                return [.. _ops];
        }
    }

    /// <summary>Records that <paramref name="client"/> is sending an operation.</summary>
    /// <param name="workId">Required for Add, Claim, Start, Complete and Fail; must be null for ClaimNext.</param>
    /// <param name="token">The fencing token presented; required for Start, Complete and Fail.</param>
    /// <param name="result">For Complete: the result object, which must hold a string "op" id.</param>
    public HistoryOpHandle Invoke(string client, HistoryOpKind kind, string? workId, string? token, string commandId, JsonObject? result = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(client);
        ArgumentException.ThrowIfNullOrEmpty(commandId);
        if (!Enum.IsDefined(kind))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "kind must be Add, ClaimNext, Claim, Start, Complete or Fail");
        if (kind == HistoryOpKind.ClaimNext && workId is not null)
            throw new ArgumentException($"workId must be null for ClaimNext (the queue picks the item), got '{workId}'", nameof(workId));
        if (kind != HistoryOpKind.ClaimNext && string.IsNullOrEmpty(workId))
            throw new ArgumentException($"workId is required for {kind}", nameof(workId));
        if (kind is HistoryOpKind.Start or HistoryOpKind.Complete or HistoryOpKind.Fail && string.IsNullOrEmpty(token))
            throw new ArgumentException($"token is required for {kind} (it presents the claim's fencing token)", nameof(token));
        var resultOpId = kind == HistoryOpKind.Complete ? ReadResultOpId(result) : null;

        lock (_gate)
        {
            var op = new HistoryOp
            {
                Id = _ops.Count,
                Client = client,
                Kind = kind,
                CommandId = commandId,
                WorkId = workId,
                Token = kind is HistoryOpKind.ClaimNext or HistoryOpKind.Claim ? null : token,
                ResultOpId = resultOpId,
                InvokeTicks = _clock(),
            };
            _ops.Add(op);
            return new HistoryOpHandle(op.Id);
        }
    }

    /// <summary>
    /// Records an acknowledgement. Claims pass what the queue returned: ClaimNext its work id and
    /// token (both null for "none"), Claim its token. Other kinds pass nothing.
    /// </summary>
    public void Ok(HistoryOpHandle handle, string? workId = null, string? token = null)
    {
        lock (_gate)
        {
            var op = Open(handle);
            if (op.Kind == HistoryOpKind.ClaimNext && (workId is null) != (token is null))
                throw new ArgumentException($"ClaimNext returns both work_id and token or neither, got work_id '{workId}' token '{token}'", nameof(token));
            if (op.Kind == HistoryOpKind.Claim && string.IsNullOrEmpty(token))
                throw new ArgumentException($"an acknowledged Claim of '{op.WorkId}' must return its fencing token", nameof(token));
            if (op.Kind is not (HistoryOpKind.ClaimNext or HistoryOpKind.Claim) && (workId ?? token) is not null)
                throw new ArgumentException($"{op.Kind} returns no work_id or token; pass them only for claims", nameof(token));
            _ops[handle.Id] = op with
            {
                Outcome = HistoryOutcome.Ok,
                CompleteTicks = _clock(),
                WorkId = op.Kind == HistoryOpKind.ClaimNext ? workId : op.WorkId,
                Token = op.Kind is HistoryOpKind.ClaimNext or HistoryOpKind.Claim ? token : op.Token,
            };
        }
    }

    /// <summary>Records a definite refusal: the operation did not happen.</summary>
    public void Fail(HistoryOpHandle handle, string reason) => End(handle, HistoryOutcome.Fail, reason);

    /// <summary>Records a timeout or lost connection: the operation may or may not have happened.</summary>
    public void Unknown(HistoryOpHandle handle, string reason) => End(handle, HistoryOutcome.Unknown, reason);

    /// <summary>Writes one JSON object per operation (snake_case), in invoke order: the artefact of a failed run.</summary>
    public void WriteJsonLines(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var op in Operations)
            writer.WriteLine(JsonSerializer.Serialize(op, TestJson.Options));
    }

    /// <summary>The history as JSON lines (see <see cref="WriteJsonLines"/>).</summary>
    public string ToJsonLines()
    {
        var text = new StringBuilder();
        using (var writer = new StringWriter(text))
            WriteJsonLines(writer);
        return text.ToString();
    }

    private void End(HistoryOpHandle handle, HistoryOutcome outcome, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        lock (_gate)
        {
            var op = Open(handle);
            _ops[handle.Id] = op with { Outcome = outcome, Reason = reason, CompleteTicks = _clock() };
        }
    }

    private HistoryOp Open(HistoryOpHandle handle)
    {
        if (handle.Id < 0 || handle.Id >= _ops.Count)
            throw new ArgumentOutOfRangeException(nameof(handle), handle.Id, $"handle must come from Invoke on this history (0..{_ops.Count - 1})");
        var op = _ops[handle.Id];
        if (op.Outcome != HistoryOutcome.Pending)
            throw new InvalidOperationException($"operation {op.Describe()} already has its outcome; record it once");
        return op;
    }

    private static string ReadResultOpId(JsonObject? result)
    {
        if (result is null)
            throw new ArgumentException("result is required for Complete and must hold a string \"op\" id", nameof(result));
        if (result["op"] is not JsonValue value || !value.TryGetValue<string>(out var opId) || opId.Length == 0)
            throw new ArgumentException($"result must hold a non-empty string \"op\" id, got {result.ToJsonString()}", nameof(result));
        return opId;
    }
}
