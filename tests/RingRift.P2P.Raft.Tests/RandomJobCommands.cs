using System.Text.Json.Nodes;
using RingRift.P2P.Models;

namespace RingRift.P2P.Raft.Tests;

/// <summary>
/// A seeded stream mixing work commands (from <see cref="RandomCommands"/>) with job commands over
/// a growing job id space and three nodes, so duplicates, wrong nodes and illegal transitions all occur; some
/// job commands are retries of earlier ones.
/// </summary>
internal sealed class RandomJobCommands(int seed)
{
    private readonly Random _random = new(seed);
    private readonly RandomCommands _work = new(seed + 1000);
    private readonly List<WorkCommand> _sent = [];
    private double _now = 1_000;
    private int _ids;

    public void Saw(WorkCommandResult result) => _work.Saw(result);

    public WorkCommand Next()
    {
        if (_random.Next(3) == 0)
            return _work.Next();
        if (_sent.Count > 0 && _random.Next(10) == 0)
            return _sent[_random.Next(_sent.Count)];
        _now += _random.NextDouble() * 20;
        var id = $"j-cmd{++_ids}";
        var jobId = $"job{_random.Next(10 + _ids / 8)}"; // a growing id space: old jobs finish, new ones keep arriving
        var node = _random.Next(4) == 0 ? null : $"n{_random.Next(3)}";
        WorkCommand command = _random.Next(5) switch
        {
            0 or 1 => new AssignJob(id, _now, jobId, node ?? "n0", RandomCommands.Types[_random.Next(RandomCommands.Types.Length)], _random.Next(2) == 0 ? null : $"w{_random.Next(12)}"),
            2 => new StartJob(id, _now, jobId, node),
            3 => new CompleteJob(id, _now, jobId, _random.Next(2) == 0 ? null : new JsonObject { ["score"] = _random.Next(100) }, node),
            _ => new FailJob(id, _now, jobId, $"error {_random.Next(5)}", node),
        };
        _sent.Add(command);
        return command;
    }
}
