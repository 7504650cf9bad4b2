using System.Globalization;
using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Testing.History;

namespace RingRift.P2P.Tests.History;

/// <summary>
/// Generates VALID work-queue histories from a seed: clients act one at a time on a simple
/// sequential model of the fenced queue, some answers are lost (Unknown, applied or not), stale
/// tokens are refused, leaders change (term + 1) and, when allowed, the leader requeues claims.
/// </summary>
internal sealed class QueueHistoryGenerator
{
    private const int Clients = 4;
    private const int MaxItems = 10;
    private const int MaxAttempts = 3;

    private readonly Random _rng;
    private readonly bool _requeues;
    private readonly WorkHistory _history;
    private readonly Dictionary<string, ModelItem> _items = new(StringComparer.Ordinal);
    private readonly List<string> _addOrder = [];
    private readonly List<(string WorkId, string Token)>[] _held = new List<(string, string)>[Clients];
    private readonly List<(string WorkId, string Token)> _stale = [];
    private readonly List<(int Client, string WorkId, string Token, string CommandId)> _completeRetries = [];
    private long _tick;
    private long _term = 1;
    private long _index;
    private int _commands;
    private int _adds;

    private QueueHistoryGenerator(int seed, bool requeues)
    {
        _rng = new Random(seed);
        _requeues = requeues;
        _history = new WorkHistory(() => ++_tick);
        for (var c = 0; c < Clients; c++)
            _held[c] = [];
    }

    /// <summary>Runs 60–150 steps of the model from <paramref name="seed"/>.</summary>
    public static GeneratedHistory Generate(int seed, bool requeues)
    {
        var generator = new QueueHistoryGenerator(seed, requeues);
        var steps = generator._rng.Next(60, 151);
        for (var i = 0; i < steps; i++)
            generator.Step();
        return generator.Result();
    }

    private void Step()
    {
        var client = _rng.Next(Clients);
        var roll = _rng.Next(100);
        switch (roll)
        {
            case < 15 when _adds < MaxItems: Add(client); break;
            case < 35: ClaimNext(client); break;
            case < 42: ClaimNamed(client); break;
            case < 52: Start(client); break;
            case < 70: Complete(client); break;
            case < 78: FailItem(client); break;
            case < 82: UseStaleToken(client); break;
            case < 86: RetryComplete(); break;
            case < 89: _term++; break; // a new leader
            case < 93 when _requeues: Requeue(); break;
            default: ClaimNext(client); break;
        }
    }

    /// <summary>Ok (applied), Unknown applied, or Unknown not applied: 80 / 10 / 10.</summary>
    private (bool Applied, bool Answered) Fate()
    {
        var roll = _rng.Next(10);
        return roll switch { < 8 => (true, true), 8 => (true, false), _ => (false, false) };
    }

    private string Command(int client) => $"c{client}-{_commands++}";

    private string NextToken()
    {
        _index++;
        var slot = _rng.Next(3); // batched entries carry a slot
        return slot == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{_term}.{_index}")
            : string.Create(CultureInfo.InvariantCulture, $"{_term}.{_index}.{slot}");
    }

    private void Add(int client)
    {
        var workId = $"w{_adds++}";
        var handle = _history.Invoke($"c{client}", HistoryOpKind.Add, workId, null, Command(client));
        var (applied, answered) = Fate();
        if (applied)
        {
            _items[workId] = new ModelItem(workId, _tick);
            _addOrder.Add(workId);
        }
        End(handle, answered, applied);
    }

    private void ClaimNext(int client)
    {
        var handle = _history.Invoke($"c{client}", HistoryOpKind.ClaimNext, null, null, Command(client));
        var next = _addOrder.Select(id => _items[id]).FirstOrDefault(i => i.Status == WorkStatus.Pending);
        var (applied, answered) = Fate();
        if (next is null || !applied)
        {
            if (answered) _history.Ok(handle); // nothing pending: none
            else _history.Unknown(handle, "timeout");
            return;
        }
        var token = ClaimItem(next, client);
        if (!answered)
        {
            _history.Unknown(handle, "connection lost");
            return;
        }
        _history.Ok(handle, next.WorkId, token);
        _held[client].Add((next.WorkId, token));
    }

    private void ClaimNamed(int client)
    {
        if (_adds == 0)
            return;
        var workId = $"w{_rng.Next(_adds)}";
        var handle = _history.Invoke($"c{client}", HistoryOpKind.Claim, workId, null, Command(client));
        if (!_items.TryGetValue(workId, out var item) || item.Status != WorkStatus.Pending)
        {
            _history.Fail(handle, "not pending");
            return;
        }
        var (applied, answered) = Fate();
        if (!applied)
        {
            _history.Unknown(handle, "timeout");
            return;
        }
        var token = ClaimItem(item, client);
        if (!answered)
        {
            _history.Unknown(handle, "timeout");
            return;
        }
        _history.Ok(handle, token: token);
        _held[client].Add((workId, token));
    }

    private string ClaimItem(ModelItem item, int client)
    {
        var token = NextToken();
        item.Status = WorkStatus.Claimed;
        item.ClaimedBy = $"c{client}";
        item.Token = token;
        item.Attempts++;
        return token;
    }

    private void Start(int client)
    {
        if (!TryPickHeld(client, out var held))
            return;
        var handle = _history.Invoke($"c{client}", HistoryOpKind.Start, held.WorkId, held.Token, Command(client));
        var item = _items[held.WorkId];
        if (item.Token != held.Token || item.Status != WorkStatus.Claimed)
        {
            _history.Fail(handle, item.Token == held.Token ? "invalid transition" : "FENCING_MISMATCH");
            return;
        }
        var (applied, answered) = Fate();
        if (applied)
            item.Status = WorkStatus.Running;
        End(handle, answered, applied);
    }

    private void Complete(int client)
    {
        if (!TryPickHeld(client, out var held))
            return;
        _held[client].Remove(held);
        SendComplete(client, held.WorkId, held.Token, Command(client));
    }

    private void RetryComplete()
    {
        if (_completeRetries.Count == 0)
            return;
        var retry = _completeRetries[_rng.Next(_completeRetries.Count)];
        _completeRetries.Remove(retry);
        SendComplete(retry.Client, retry.WorkId, retry.Token, retry.CommandId);
    }

    private void SendComplete(int client, string workId, string token, string commandId)
    {
        var result = new JsonObject { ["op"] = $"op-{commandId}" };
        var handle = _history.Invoke($"c{client}", HistoryOpKind.Complete, workId, token, commandId, result);
        var item = _items[workId];
        if (item.CompletedByCommand == commandId)
        {
            _history.Ok(handle); // an idempotent retry of the command that completed it
            return;
        }
        if (item.Token != token || item.Status is not (WorkStatus.Claimed or WorkStatus.Running))
        {
            _history.Fail(handle, item.Token == token ? "invalid transition" : "FENCING_MISMATCH");
            _stale.Add((workId, token));
            return;
        }
        var (applied, answered) = Fate();
        if (applied)
        {
            item.Status = WorkStatus.Completed;
            item.CompletedAt = _tick;
            item.ResultOp = $"op-{commandId}";
            item.CompletedByCommand = commandId;
        }
        if (!answered)
            _completeRetries.Add((client, workId, token, commandId));
        End(handle, answered, applied);
    }

    private void FailItem(int client)
    {
        if (!TryPickHeld(client, out var held))
            return;
        _held[client].Remove(held);
        _stale.Add(held);
        var handle = _history.Invoke($"c{client}", HistoryOpKind.Fail, held.WorkId, held.Token, Command(client));
        var item = _items[held.WorkId];
        if (item.Token != held.Token || item.Status is not (WorkStatus.Claimed or WorkStatus.Running))
        {
            _history.Fail(handle, "FENCING_MISMATCH");
            return;
        }
        var (applied, answered) = Fate();
        if (applied)
            Release(item);
        End(handle, answered, applied);
    }

    private void UseStaleToken(int client)
    {
        if (_stale.Count == 0)
            return;
        var (workId, token) = _stale[_rng.Next(_stale.Count)];
        var kind = _rng.Next(2) == 0 ? HistoryOpKind.Start : HistoryOpKind.Fail;
        var handle = _history.Invoke($"c{client}", kind, workId, token, Command(client));
        var item = _items[workId];
        if (item.Token == token && item.Status is WorkStatus.Claimed or WorkStatus.Running)
        {
            _history.Unknown(handle, "client gave up"); // still current: the model does not apply it, the client never learns
            return;
        }
        _history.Fail(handle, "FENCING_MISMATCH");
    }

    private void Requeue()
    {
        var held = _items.Values.Where(i => i.Status is WorkStatus.Claimed or WorkStatus.Running).ToList();
        if (held.Count == 0)
            return;
        Release(held[_rng.Next(held.Count)]);
    }

    private static void Release(ModelItem item)
    {
        item.Status = item.Attempts < MaxAttempts ? WorkStatus.Pending : WorkStatus.Failed;
        item.ClaimedBy = null;
        item.Token = null;
    }

    private bool TryPickHeld(int client, out (string WorkId, string Token) held)
    {
        held = default;
        if (_held[client].Count == 0)
            return false;
        held = _held[client][_rng.Next(_held[client].Count)];
        return true;
    }

    private void End(HistoryOpHandle handle, bool answered, bool applied)
    {
        if (answered) _history.Ok(handle);
        else _history.Unknown(handle, applied ? "timeout after commit" : "timeout");
    }

    private GeneratedHistory Result() => new()
    {
        History = _history,
        FinalItems = [.. _addOrder.Select(id => _items[id].ToWorkItem())],
        CurrentTokens = _items.Values.Where(i => i.Token is not null && i.Status is WorkStatus.Claimed or WorkStatus.Running)
            .ToDictionary(i => i.WorkId, i => i.Token!, StringComparer.Ordinal),
        RequeuesPossible = _requeues,
        NextIndex = _index + 1,
        Term = _term,
    };

    private sealed class ModelItem(string workId, long createdAt)
    {
        public string WorkId { get; } = workId;
        public WorkStatus Status { get; set; } = WorkStatus.Pending;
        public string? ClaimedBy { get; set; }
        public string? Token { get; set; }
        public int Attempts { get; set; }
        public double? CompletedAt { get; set; }
        public string? ResultOp { get; set; }
        public string? CompletedByCommand { get; set; }

        public WorkItem ToWorkItem() => new()
        {
            WorkId = WorkId,
            WorkType = JobType.Selfplay,
            Status = Status,
            ClaimedBy = ClaimedBy,
            Attempts = Attempts,
            MaxAttempts = MaxAttempts,
            CreatedAt = createdAt,
            CompletedAt = CompletedAt,
            Result = ResultOp is null ? null : new JsonObject { ["op"] = ResultOp },
        };
    }
}
