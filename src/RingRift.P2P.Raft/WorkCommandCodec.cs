using System.Buffers;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Raft;

/// <summary>
/// Binary form of work commands for Raft log entries. Every encoding starts with a format version
/// byte (<see cref="FormatVersion"/>) and a type byte; a batch (group commit) is the version,
/// <see cref="BatchType"/>, a varint count, then each command as a varint length and its own
/// encoding. Decoding is strict: unknown versions or types, truncation, trailing bytes, invalid
/// UTF-8/JSON or out-of-range enums throw <see cref="WorkCommandFormatException"/>.
/// </summary>
/// <remarks>
/// Fields, in order (integers little-endian, strings varint length + UTF-8, "?" = presence byte):
/// all: command_id, at (float64). AddWork: work_id?, work_type, priority (int32), config?
/// (JSON text), max_attempts (int32), timeout_seconds (float64). ClaimWork: work_id, node_id.
/// ClaimNext: node_id, capabilities? (count byte + type bytes). Start: work_id, node_id?, token?
/// (term int64, index int64, slot int32). Complete: work_id, result? (JSON), node_id?, token?.
/// Fail: work_id, error, node_id?, token?. Cancel: work_id. RequeueTimedOut: nothing more.
/// AssignJob: job_id, node_id, job_type (byte), work_id?. StartJob: job_id, node_id?.
/// CompleteJob: job_id, result? (JSON), node_id?. FailJob: job_id, error, node_id?.
/// AddWithDependencies (13): AddWork's fields, then depends_on (count byte 1–100 + strings); written
/// only for an item that has dependencies, so builds that predate them see it only if they are used.
/// AddWithAttempts (14): AddWork's fields, attempts (int32), then depends_on (count byte 0–100 + strings);
/// written only for an item that arrives with attempts already used (moved from another queue).
/// PruneWork (15): a varint count (1–<see cref="MaxPruneIds"/>) and that many work ids; always alone in its entry
/// (the group committer never batches it), so a build that predates it skips that entry alone.
/// Type bytes are append-only: 1–8, 13–15 work commands, 9–12 job commands, 0x40 batch. A work or job type is a
/// byte: 0–3 for the built-in types (selfplay, training, evaluation, sync), or <see cref="NamedType"/>
/// followed by the type's name (string) for any other; a build that predates named types refuses the
/// latter, so add custom types only once every member runs a build that reads them.
/// </remarks>
public static class WorkCommandCodec
{
    /// <summary>The format version this build writes and reads.</summary>
    public const byte FormatVersion = 1;

    /// <summary>Type byte of a batch.</summary>
    public const byte BatchType = 0x40;

    /// <summary>Work type byte that announces a type written by name (a type that is not built in).</summary>
    public const byte NamedType = 0xFF;

    /// <summary>Most commands in one batch: 65,536.</summary>
    public const int MaxBatchCount = 65_536;

    /// <summary>Most work ids in one <see cref="PruneWork"/>: 10,000.</summary>
    public const int MaxPruneIds = 10_000;

    private enum CommandType : byte
    {
        Add = 1,
        Claim = 2,
        ClaimNext = 3,
        Start = 4,
        Complete = 5,
        Fail = 6,
        Cancel = 7,
        RequeueTimedOut = 8,
        AssignJob = 9,
        StartJob = 10,
        CompleteJob = 11,
        FailJob = 12,
        AddWithDependencies = 13,
        AddWithAttempts = 14,
        Prune = 15,
    }

    /// <summary>Encodes one command.</summary>
    public static byte[] Encode(WorkCommand command)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        Write(new CommandWriter(buffer), command);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Encodes several commands as one batch entry (1..65,536 commands).</summary>
    public static byte[] EncodeBatch(IReadOnlyList<WorkCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        if (commands.Count is < 1 or > MaxBatchCount)
            throw new ArgumentOutOfRangeException(nameof(commands), commands.Count, $"a batch holds 1 to {MaxBatchCount} commands");
        var buffer = new ArrayBufferWriter<byte>(64 * commands.Count);
        var writer = new CommandWriter(buffer);
        writer.WriteByte(FormatVersion);
        writer.WriteByte(BatchType);
        writer.VarUInt((uint)commands.Count);
        var one = new ArrayBufferWriter<byte>(128);
        foreach (var command in commands)
        {
            one.ResetWrittenCount();
            Write(new CommandWriter(one), command);
            writer.Bytes(one.WrittenSpan);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes one command; a batch here is an error (use <see cref="DecodeBatch"/>).</summary>
    public static WorkCommand Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new CommandReader(bytes);
        var command = ReadOne(ref reader, allowBatch: false);
        if (!reader.AtEnd)
            throw reader.Error($"{bytes.Length - reader.Offset} unexpected trailing bytes after the command");
        return command;
    }

    /// <summary>Decodes a log entry holding a batch, or a single command (returned as a batch of one).</summary>
    public static IReadOnlyList<WorkCommand> DecodeBatch(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 2 && bytes[0] == FormatVersion && bytes[1] != BatchType)
            return [Decode(bytes)];
        var reader = new CommandReader(bytes);
        ReadHeader(ref reader, out var type);
        if (type != BatchType)
            throw reader.Error($"type byte {type} is not a batch");
        var count = reader.VarUInt("batch count");
        if (count is < 1 or > MaxBatchCount)
            throw reader.Error($"batch count {count} is outside 1..{MaxBatchCount}");
        var commands = new WorkCommand[count];
        for (var i = 0; i < commands.Length; i++)
        {
            var start = reader.Offset;
            var inner = reader.Bytes($"batch[{i}]");
            try
            {
                commands[i] = Decode(inner);
            }
            catch (WorkCommandFormatException bad)
            {
                throw new WorkCommandFormatException($"batch[{i}]: {bad.Message}", start);
            }
        }
        if (!reader.AtEnd)
            throw reader.Error($"{bytes.Length - reader.Offset} unexpected trailing bytes after the batch");
        return commands;
    }

    private static void Write(CommandWriter writer, WorkCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(command.CommandId, "command_id");
        writer.WriteByte(FormatVersion);
        writer.WriteByte((byte)TypeOf(command));
        writer.String(command.CommandId);
        writer.Double(command.At);
        switch (command)
        {
            case AddWork add:
                ArgumentNullException.ThrowIfNull(add.Work, "work");
                writer.NullableString(add.Work.WorkId);
                WriteJobType(writer, add.Work.WorkType);
                writer.Int32(add.Work.Priority);
                writer.NullableJson(add.Work.Config);
                writer.Int32(add.Work.MaxAttempts);
                writer.Double(add.Work.TimeoutSeconds);
                if (add.Work.Attempts > 0) writer.Int32(add.Work.Attempts);
                if (add.Work.DependsOn.Count > 0 || add.Work.Attempts > 0)
                {
                    if (add.Work.DependsOn.Count > WorkDependencies.MaxCount)
                        throw new ArgumentException($"depends_on may list at most {WorkDependencies.MaxCount} work ids, got {add.Work.DependsOn.Count}", "depends_on");
                    writer.WriteByte((byte)add.Work.DependsOn.Count);
                    foreach (var id in add.Work.DependsOn) writer.String(id);
                }
                break;
            case ClaimWork claim:
                writer.String(Required(claim.WorkId, "work_id"));
                writer.String(Required(claim.NodeId, "node_id"));
                break;
            case ClaimNext next:
                writer.String(Required(next.NodeId, "node_id"));
                WriteCapabilities(writer, next.Capabilities);
                break;
            case StartWork start:
                writer.String(Required(start.WorkId, "work_id"));
                writer.NullableString(start.NodeId);
                WriteToken(writer, start.Token);
                break;
            case CompleteWork complete:
                writer.String(Required(complete.WorkId, "work_id"));
                writer.NullableJson(complete.Result);
                writer.NullableString(complete.NodeId);
                WriteToken(writer, complete.Token);
                break;
            case FailWork fail:
                writer.String(Required(fail.WorkId, "work_id"));
                writer.String(Required(fail.Error, "error"));
                writer.NullableString(fail.NodeId);
                WriteToken(writer, fail.Token);
                break;
            case CancelWork cancel:
                writer.String(Required(cancel.WorkId, "work_id"));
                break;
            case RequeueTimedOut:
                break;
            case PruneWork prune:
                ArgumentNullException.ThrowIfNull(prune.WorkIds, "work_ids");
                if (prune.WorkIds.Count is < 1 or > MaxPruneIds)
                    throw new ArgumentException($"a prune names 1 to {MaxPruneIds} work ids, got {prune.WorkIds.Count}", "work_ids");
                writer.VarUInt((uint)prune.WorkIds.Count);
                foreach (var id in prune.WorkIds) writer.String(Required(id, "work_ids"));
                break;
            case AssignJob assign:
                writer.String(Required(assign.JobId, "job_id"));
                writer.String(Required(assign.NodeId, "node_id"));
                WriteJobType(writer, assign.JobType);
                writer.NullableString(assign.WorkId);
                break;
            case StartJob start:
                writer.String(Required(start.JobId, "job_id"));
                writer.NullableString(start.NodeId);
                break;
            case CompleteJob complete:
                writer.String(Required(complete.JobId, "job_id"));
                writer.NullableJson(complete.Result);
                writer.NullableString(complete.NodeId);
                break;
            case FailJob fail:
                writer.String(Required(fail.JobId, "job_id"));
                writer.String(Required(fail.Error, "error"));
                writer.NullableString(fail.NodeId);
                break;
        }
    }

    private static CommandType TypeOf(WorkCommand command) => command switch
    {
        AddWork { Work.Attempts: > 0 } => CommandType.AddWithAttempts,
        AddWork { Work.DependsOn.Count: > 0 } => CommandType.AddWithDependencies,
        AddWork => CommandType.Add,
        ClaimWork => CommandType.Claim,
        ClaimNext => CommandType.ClaimNext,
        StartWork => CommandType.Start,
        CompleteWork => CommandType.Complete,
        FailWork => CommandType.Fail,
        CancelWork => CommandType.Cancel,
        RequeueTimedOut => CommandType.RequeueTimedOut,
        PruneWork => CommandType.Prune,
        AssignJob => CommandType.AssignJob,
        StartJob => CommandType.StartJob,
        CompleteJob => CommandType.CompleteJob,
        FailJob => CommandType.FailJob,
        _ => throw new ArgumentException($"command type {command.GetType().Name} has no encoding", nameof(command)),
    };

    private static string Required(string value, string field) =>
        value ?? throw new ArgumentNullException(field, $"{field} must not be null");

    private static void WriteCapabilities(CommandWriter writer, IReadOnlyList<JobType>? capabilities)
    {
        writer.Bool(capabilities is not null);
        if (capabilities is null)
            return;
        if (capabilities.Count > byte.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(capabilities), capabilities.Count, "capabilities holds at most 255 entries");
        writer.WriteByte((byte)capabilities.Count);
        foreach (var type in capabilities)
            WriteJobType(writer, type);
    }

    private static void WriteToken(CommandWriter writer, FencingToken? token)
    {
        writer.Bool(token is not null);
        if (token is null)
            return;
        writer.Int64(token.Term);
        writer.Int64(token.Index);
        writer.Int32(token.Slot);
    }

    private static void ReadHeader(ref CommandReader reader, out byte type)
    {
        var version = reader.Byte("format version");
        if (version != FormatVersion)
            throw new WorkCommandFormatException($"format version {version} is not supported (this build reads {FormatVersion})", 0);
        type = reader.Byte("type");
    }

    private static WorkCommand ReadOne(ref CommandReader reader, bool allowBatch)
    {
        ReadHeader(ref reader, out var type);
        if (type == BatchType && !allowBatch)
            throw new WorkCommandFormatException("the bytes hold a batch; decode them with DecodeBatch", 1);
        if (!Enum.IsDefined((CommandType)type))
            throw new WorkCommandFormatException($"type byte {type} is not a known command", 1);
        var commandId = reader.String("command_id");
        var at = reader.Double("at");
        return (CommandType)type switch
        {
            CommandType.Add => new AddWork(commandId, at, ReadNewWork(ref reader)),
            CommandType.AddWithDependencies => new AddWork(commandId, at, ReadNewWork(ref reader, withDependencies: true)),
            CommandType.AddWithAttempts => new AddWork(commandId, at, ReadNewWork(ref reader, withDependencies: true, withAttempts: true)),
            CommandType.Claim => new ClaimWork(commandId, at, reader.String("work_id"), reader.String("node_id")),
            CommandType.ClaimNext => new ClaimNext(commandId, at, reader.String("node_id"), ReadCapabilities(ref reader)),
            CommandType.Start => new StartWork(commandId, at, reader.String("work_id"), reader.NullableString("node_id"), ReadToken(ref reader)),
            CommandType.Complete => new CompleteWork(commandId, at, reader.String("work_id"), reader.NullableJson("result"),
                reader.NullableString("node_id"), ReadToken(ref reader)),
            CommandType.Fail => new FailWork(commandId, at, reader.String("work_id"), reader.String("error"),
                reader.NullableString("node_id"), ReadToken(ref reader)),
            CommandType.Cancel => new CancelWork(commandId, at, reader.String("work_id")),
            CommandType.RequeueTimedOut => new RequeueTimedOut(commandId, at),
            CommandType.Prune => new PruneWork(commandId, at, ReadPruneIds(ref reader)),
            CommandType.AssignJob => new AssignJob(commandId, at, reader.String("job_id"), reader.String("node_id"),
                ReadJobType(ref reader, "job_type"), reader.NullableString("work_id")),
            CommandType.StartJob => new StartJob(commandId, at, reader.String("job_id"), reader.NullableString("node_id")),
            CommandType.CompleteJob => new CompleteJob(commandId, at, reader.String("job_id"), reader.NullableJson("result"),
                reader.NullableString("node_id")),
            CommandType.FailJob => new FailJob(commandId, at, reader.String("job_id"), reader.String("error"), reader.NullableString("node_id")),
            _ => throw new WorkCommandFormatException($"type byte {type} is not a known command", 1),
        };
    }

    private static NewWork ReadNewWork(ref CommandReader reader, bool withDependencies = false, bool withAttempts = false)
    {
        var workId = reader.NullableString("work_id");
        var workType = ReadJobType(ref reader, "work_type");
        var priority = reader.Int32("priority");
        var config = reader.NullableJson("config");
        var maxAttempts = reader.Int32("max_attempts");
        var timeout = reader.Double("timeout_seconds");
        var attempts = withAttempts ? reader.Int32("attempts") : 0;
        if (withAttempts && attempts < 1)
            throw new WorkCommandFormatException($"attempts {attempts} must be at least 1 in an add that carries attempts", reader.Offset - 4);
        var dependencies = withDependencies ? ReadDependencies(ref reader, allowNone: withAttempts) : WorkDependencies.None;
        return new NewWork
        {
            WorkId = workId,
            WorkType = workType,
            Priority = priority,
            Config = config,
            MaxAttempts = maxAttempts,
            Attempts = attempts,
            TimeoutSeconds = timeout,
            DependsOn = dependencies,
        };
    }

    /// <summary>A built-in type as its number (0–3, as every build has written it); any other as <see cref="NamedType"/> and its name.</summary>
    private static void WriteJobType(CommandWriter writer, JobType type)
    {
        if (type.IsBuiltIn)
        {
            writer.WriteByte((byte)type.BuiltInIndex);
            return;
        }
        writer.WriteByte(NamedType);
        writer.String(type.Name);
    }

    private static JobType ReadJobType(ref CommandReader reader, string field)
    {
        var raw = reader.Byte(field);
        if (raw == NamedType)
        {
            var name = reader.String(field);
            return JobType.TryParse(name, out var named) && !named.IsBuiltIn ? named
                : throw new WorkCommandFormatException($"{field} '{name}' is not {JobTypes.Allowed} (and not a built-in type, which is written as its number)", reader.Offset);
        }
        return JobType.TryFromBuiltInIndex(raw, out var type) ? type
            : throw new WorkCommandFormatException($"{field} {raw} is not a built-in type number (0-3) or {NamedType} followed by a name", reader.Offset - 1);
    }

    private static WorkDependencies ReadDependencies(ref CommandReader reader, bool allowNone)
    {
        var count = reader.Byte("depends_on");
        var least = allowNone ? 0 : 1;
        if (count < least || count > WorkDependencies.MaxCount)
            throw new WorkCommandFormatException($"depends_on count {count} is outside {least}..{WorkDependencies.MaxCount}", reader.Offset - 1);
        var ids = new string[count];
        for (var i = 0; i < count; i++)
            ids[i] = reader.String($"depends_on[{i}]");
        return WorkDependencies.Of(ids);
    }

    private static string[] ReadPruneIds(ref CommandReader reader)
    {
        var count = reader.VarUInt("work_ids count");
        if (count is < 1 or > MaxPruneIds)
            throw reader.Error($"work_ids count {count} is outside 1..{MaxPruneIds}");
        var ids = new string[count];
        for (var i = 0; i < ids.Length; i++)
            ids[i] = reader.String($"work_ids[{i}]");
        return ids;
    }

    private static IReadOnlyList<JobType>? ReadCapabilities(ref CommandReader reader)
    {
        if (!reader.Bool("capabilities"))
            return null;
        var count = reader.Byte("capabilities count");
        var types = new JobType[count];
        for (var i = 0; i < count; i++)
            types[i] = ReadJobType(ref reader, $"capabilities[{i}]");
        return types;
    }

    private static FencingToken? ReadToken(ref CommandReader reader)
    {
        if (!reader.Bool("fencing_token"))
            return null;
        var term = reader.Int64("fencing_token.term");
        var index = reader.Int64("fencing_token.index");
        var slot = reader.Int32("fencing_token.slot");
        if (term < 0 || index < 0 || slot < 0)
            throw reader.Error($"fencing_token {term}.{index}.{slot} has a negative part");
        return new FencingToken(term, index, slot);
    }
}
