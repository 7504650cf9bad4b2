using System.Text.Json;
using RingRift.P2P.Coordination;
using RingRift.P2P.Json;

namespace RingRift.P2P.Raft;

public sealed partial class WorkQueueStateMachine
{
    /// <summary>
    /// Snapshot format written by this version (2: version 1 plus <c>jobs</c>); versions 1 and 2
    /// are read, a higher one throws.
    /// </summary>
    public const int SnapshotFormatVersion = 2;

    /// <summary>
    /// Writes the whole state (items with claim tokens, job assignments, remembered command ids with
    /// results, last applied index) as UTF-8 JSON. Deterministic: equal states write equal bytes
    /// (items in ordinal work_id order, jobs in ordinal job_id order, command ids oldest first).
    /// </summary>
    public void WriteSnapshot(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        CaptureSnapshot().WriteTo(destination);
    }

    /// <summary>
    /// The state as of now, by reference (items, tokens, jobs and results are immutable once stored),
    /// so the caller can sort and serialize it without holding up the applier.
    /// </summary>
    internal SnapshotCapture CaptureSnapshot() => new(
        new WorkQueueSnapshot
        {
            FormatVersion = SnapshotFormatVersion,
            LastAppliedIndex = LastAppliedIndex,
            LastAppliedSlot = _lastAppliedSlot,
            LastVersion = _version,
            RecentCapacity = _recent.Capacity,
            Jobs = _jobs.InJobIdOrder().ToList<JobAssignment?>(),
            Recent = _recent.InOrder().Select(entry => new SnapshotCommand(entry.CommandId, entry.Result)).ToList(),
        },
        _items.Values.Select(item => new SnapshotItem(item, _claims.GetValueOrDefault(item.WorkId))).ToArray());

    /// <summary>A captured state; <see cref="WriteTo"/> orders the items and writes the JSON.</summary>
    internal sealed class SnapshotCapture(WorkQueueSnapshot document, SnapshotItem[] items)
    {
        public void WriteTo(Stream destination) => JsonSerializer.Serialize(destination, Sorted(), RaftJson.Snapshot);

        /// <summary>
        /// Writes the JSON as it is produced, a serializer buffer at a time: a snapshot is megabytes (the remembered
        /// command results above all), and building it whole in memory first put two or three copies of it on the
        /// large object heap, which the runtime keeps committed afterwards.
        /// </summary>
        public Task WriteToAsync(Stream destination, CancellationToken ct) =>
            JsonSerializer.SerializeAsync(destination, Sorted(), RaftJson.Snapshot, ct);

        private WorkQueueSnapshot Sorted()
        {
            Array.Sort(items, (a, b) => string.CompareOrdinal(a.Item.WorkId, b.Item.WorkId));
            return document with { Items = [.. items] };
        }
    }

    /// <summary>
    /// Reads a snapshot written by <see cref="WriteSnapshot"/>. Throws <see cref="InvalidDataException"/>
    /// naming the problem when the bytes are not a snapshot, are corrupt, are inconsistent, or carry a
    /// format_version other than 1..<see cref="SnapshotFormatVersion"/>.
    /// </summary>
    /// <remarks>
    /// A seekable stream (a snapshot file) is read twice, its start for the format version and then the whole as
    /// it streams, so no copy of the whole snapshot is held in memory; any other stream is copied first.
    /// </remarks>
    public static WorkQueueStateMachine ReadSnapshot(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.CanSeek)
        {
            var copy = new MemoryStream();
            source.CopyTo(copy);
            copy.Position = 0;
            source = copy;
        }

        var start = source.Position;
        var head = new byte[FormatVersionPrefixBytes];
        var read = source.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var version = ReadFormatVersion(head.AsSpan(0, read), isWhole: read < head.Length);
        if (version is < 1 or > SnapshotFormatVersion)
            throw new InvalidDataException($"snapshot format_version {version} is not supported (this build reads 1 to {SnapshotFormatVersion})");
        source.Position = start;

        WorkQueueSnapshot? document;
        try
        {
            document = JsonSerializer.Deserialize(source, RaftJson.Snapshot);
        }
        catch (JsonException corrupt)
        {
            throw new InvalidDataException($"snapshot is corrupt at {corrupt.Path ?? "$"}: {corrupt.Message}", corrupt);
        }
        if (document is null)
            throw new InvalidDataException("snapshot is the JSON literal null");
        return Restore(document);
    }

    /// <summary>How much of a snapshot's start is read for its format version (the first property, a few bytes in).</summary>
    private const int FormatVersionPrefixBytes = 4096;

    private static int ReadFormatVersion(ReadOnlySpan<byte> bytes, bool isWhole)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes, isFinalBlock: isWhole, state: default);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new InvalidDataException("snapshot is not a JSON object");
            if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("format_version"u8))
                throw new InvalidDataException("snapshot does not start with format_version");
            if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var version))
                throw new InvalidDataException("snapshot format_version is not an integer");
            return version;
        }
        catch (JsonException corrupt)
        {
            throw new InvalidDataException($"snapshot is not valid JSON: {corrupt.Message}", corrupt);
        }
    }

    private static WorkQueueStateMachine Restore(WorkQueueSnapshot document)
    {
        if (document.RecentCapacity < 1)
            throw new InvalidDataException($"snapshot recent_capacity must be >= 1, got {document.RecentCapacity}");
        if (document.LastAppliedIndex < 0 || document.LastAppliedSlot < -1 || document.LastVersion < 0)
        {
            throw new InvalidDataException(
                $"snapshot last_applied_index/last_applied_slot/last_version out of range: {document.LastAppliedIndex}/{document.LastAppliedSlot}/{document.LastVersion}");
        }

        var items = document.Items ?? throw new InvalidDataException("snapshot has no items array");
        var recent = document.Recent ?? throw new InvalidDataException("snapshot has no recent array");
        var jobs = document.Jobs ?? (document.FormatVersion == 1 ? [] : throw new InvalidDataException("snapshot has no jobs array"));
        if (recent.Count > document.RecentCapacity)
            throw new InvalidDataException($"snapshot remembers {recent.Count} command ids, more than its recent_capacity {document.RecentCapacity}");

        var machine = new WorkQueueStateMachine(document.RecentCapacity)
        {
            LastAppliedIndex = document.LastAppliedIndex,
            _lastAppliedSlot = document.LastAppliedSlot,
        };
        for (var i = 0; i < items.Count; i++)
            machine.RestoreItem(items[i], i, document.LastVersion);
        // Once every item is known: pending items join their index or wait for their dependencies.
        foreach (var pending in machine._items.Values.Where(i => i.Status == WorkStatus.Pending).OrderBy(i => i.WorkId, StringComparer.Ordinal))
            machine.Queue(pending);
        machine._version = document.LastVersion;
        for (var i = 0; i < jobs.Count; i++)
            machine._jobs.Restore(jobs[i], i);
        for (var i = 0; i < recent.Count; i++)
        {
            var entry = recent[i] ?? throw new InvalidDataException($"snapshot recent[{i}] is null");
            if (string.IsNullOrEmpty(entry.CommandId) || entry.Result is null)
                throw new InvalidDataException($"snapshot recent[{i}] needs a non-empty command_id and a result");
            if (machine._recent.TryGet(entry.CommandId, out _))
                throw new InvalidDataException($"snapshot recent[{i}] repeats command_id '{entry.CommandId}'");
            machine._recent.Record(entry.CommandId, entry.Result);
        }
        return machine;
    }

    private void RestoreItem(SnapshotItem? entry, int index, long lastVersion)
    {
        var item = entry?.Item ?? throw new InvalidDataException($"snapshot items[{index}] has no item");
        if (string.IsNullOrEmpty(item.WorkId))
            throw new InvalidDataException($"snapshot items[{index}].work_id is empty");
        if (!Enum.IsDefined(item.Status))
            throw new InvalidDataException($"snapshot items[{index}] ('{item.WorkId}') has status {(int)item.Status}, not a known value");
        if (item.Version < 1 || item.Version > lastVersion)
            throw new InvalidDataException($"snapshot items[{index}] ('{item.WorkId}') version {item.Version} is outside 1..{lastVersion}");
        if (_items.ContainsKey(item.WorkId))
            throw new InvalidDataException($"snapshot items[{index}] repeats work_id '{item.WorkId}'");
        if (IsActive(item.Status) != entry.Token is not null)
            throw new InvalidDataException($"snapshot items[{index}] ('{item.WorkId}') is {Name(item.Status)} but {(entry.Token is null ? "has no" : "has a")} fencing token");

        _items[item.WorkId] = item;
        _counts[(int)item.Status]++;
        Track(null, item);
        if (entry.Token is { } token)
        {
            _active.Add(item.WorkId);
            _claims[item.WorkId] = token;
        }
    }
}
