using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Raft.Tests;

/// <summary>A seeded stream of plausible commands over a small id space (so claims collide), with some retried ids.</summary>
internal sealed class RandomCommands(int seed)
{
    /// <summary>The built-in types and two others, so commands carry types written as numbers and as names.</summary>
    public static readonly JobType[] Types = [.. JobTypes.All, JobType.Parse("gauntlet"), JobType.Parse("cpu_cmaes")];

    private readonly Random _random = new(seed);
    private readonly List<WorkCommand> _sent = [];
    private readonly List<FencingToken> _tokens = [];
    private double _now = 1_000;
    private int _ids;

    public void Saw(WorkCommandResult result)
    {
        if (result.Token is { } token)
            _tokens.Add(token);
    }

    public WorkCommand Next()
    {
        if (_sent.Count > 0 && _random.Next(10) == 0)
            return _sent[_random.Next(_sent.Count)]; // a client retry
        _now += _random.NextDouble() * 20;
        var id = $"r{++_ids}";
        var workId = $"w{_random.Next(12)}";
        var node = $"n{_random.Next(4)}";
        var token = _tokens.Count > 0 && _random.Next(2) == 0 ? _tokens[_random.Next(_tokens.Count)] : null;
        var nodeOrNull = _random.Next(3) == 0 ? null : node;
        WorkCommand command = _random.Next(9) switch
        {
            0 or 1 => new AddWork(id, _now, new NewWork
            {
                WorkId = workId,
                WorkType = Types[_random.Next(Types.Length)],
                Priority = _random.Next(101),
                MaxAttempts = 1 + _random.Next(3),
                TimeoutSeconds = 10 + _random.Next(60),
                Config = new JsonObject { ["seed"] = _random.Next() },
            }),
            2 => new ClaimWork(id, _now, workId, node),
            3 => new ClaimNext(id, _now, node, _random.Next(2) == 0 ? null : [Types[_random.Next(Types.Length)]]),
            4 => new StartWork(id, _now, workId, nodeOrNull, token),
            5 => new CompleteWork(id, _now, workId, new JsonObject { ["v"] = _random.Next(100) }, nodeOrNull, token),
            6 => new FailWork(id, _now, workId, "e" + _random.Next(9), nodeOrNull, token),
            7 => new CancelWork(id, _now, workId),
            _ => new RequeueTimedOut(id, _now),
        };
        _sent.Add(command);
        return command;
    }
}
