using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Raft.Tests;

/// <summary>Feeds commands to a state machine the way a Raft log would: increasing index, fixed term, fresh command ids.</summary>
internal sealed class MachineDriver(WorkQueueStateMachine machine, long term = 1)
{
    private int _ids;

    public WorkQueueStateMachine Machine { get; private set; } = machine;
    public long Term { get; set; } = term;
    public long NextIndex { get; set; } = machine.LastAppliedIndex + 1;
    public double Now { get; set; } = 1_000;

    public MachineDriver() : this(new WorkQueueStateMachine()) { }

    public string NewId() => $"c{++_ids}";

    public WorkCommandResult Apply(WorkCommand command) => Machine.Apply(command, NextIndex++, Term);

    public WorkItem Add(string workId, JobType type = default, int priority = 50, int maxAttempts = 3, double timeout = 60) =>
        Apply(new AddWork(NewId(), Now, new NewWork
        {
            WorkId = workId,
            WorkType = type,
            Priority = priority,
            MaxAttempts = maxAttempts,
            TimeoutSeconds = timeout,
            Config = new JsonObject { ["games"] = 10 },
        })).Item!;

    public WorkCommandResult Claim(string workId, string node) => Apply(new ClaimWork(NewId(), Now, workId, node));

    public WorkCommandResult ClaimNext(string node, params JobType[] types) => Apply(new ClaimNext(NewId(), Now, node, types));

    public WorkCommandResult Start(string workId, string? node = null, FencingToken? token = null) =>
        Apply(new StartWork(NewId(), Now, workId, node, token));

    public WorkCommandResult Complete(string workId, string? node = null, FencingToken? token = null) =>
        Apply(new CompleteWork(NewId(), Now, workId, new JsonObject { ["ok"] = true }, node, token));

    public WorkCommandResult Fail(string workId, string error = "boom", string? node = null, FencingToken? token = null) =>
        Apply(new FailWork(NewId(), Now, workId, error, node, token));

    public WorkCommandResult Cancel(string workId) => Apply(new CancelWork(NewId(), Now, workId));

    public WorkCommandResult Requeue() => Apply(new RequeueTimedOut(NewId(), Now));
}
