using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Tests.Training;

/// <summary>Builders of synthetic queue items for the training planner tests (times in Unix seconds).</summary>
internal static class WorkItems
{
    public const double Hour = 3600;

    public static WorkItem SelfplayItem(string id, WorkStatus status, int games, double? completedAt, string board = "hex8", int players = 2) =>
        Make(id, JobType.Selfplay, status, board, players, completedAt: completedAt,
            result: status == WorkStatus.Completed ? new JsonObject { ["games_completed"] = games } : null);

    public static WorkItem TrainingItem(string id, WorkStatus status, double? startedAt = null, double? completedAt = null,
        string? modelPath = null, string? claimedBy = "gpu-1", string board = "hex8", int players = 2) =>
        Make(id, JobType.Training, status, board, players, startedAt: startedAt, completedAt: completedAt, claimedBy: claimedBy,
            result: modelPath is null ? null : new JsonObject { ["model_path"] = modelPath, ["games_used"] = 1000 });

    public static WorkItem EvaluationItem(string id, WorkStatus status, string modelPath, double? elo, double? completedAt,
        string? trainingWorkId = null, string board = "hex8", int players = 2) =>
        Make(id, JobType.Evaluation, status, board, players, completedAt: completedAt,
            config: new JsonObject { ["model_path"] = modelPath, ["training_work_id"] = trainingWorkId },
            result: elo is { } e ? new JsonObject { ["elo"] = e } : null);

    public static WorkItem Make(string id, JobType type, WorkStatus status, string board, int players,
        double createdAt = 0, double? startedAt = null, double? completedAt = null, string? claimedBy = null,
        JsonObject? config = null, JsonObject? result = null, long version = 1)
    {
        var full = new JsonObject { ["board_type"] = board, ["num_players"] = players };
        foreach (var (key, value) in config ?? [])
            full[key] = value?.DeepClone();
        return new WorkItem
        {
            WorkId = id,
            WorkType = type,
            Status = status,
            Config = full,
            CreatedAt = createdAt,
            ClaimedAt = startedAt,
            StartedAt = startedAt,
            CompletedAt = completedAt,
            ClaimedBy = claimedBy,
            Result = result,
            Version = version,
        };
    }
}
