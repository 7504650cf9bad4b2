using System.Buffers;
using Microsoft.Net.Http.Headers;
using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.Wire;

namespace RingRift.P2P.Node.Sync;

/// <summary>
/// The data sync routes. With a cluster token set, all of them need it (data files are not public; see
/// <see cref="AuthMiddleware"/>). Errors are <c>{"error","code"}</c>: 400 PATH_REFUSED naming the path,
/// 404 FILE_NOT_FOUND, 416 RANGE_NOT_SATISFIABLE.
/// <list type="bullet">
/// <item><c>GET /sync/manifest[?prefix=games/hex8_2p]</c> → <see cref="SyncManifest"/>.</item>
/// <item><c>GET /sync/file?path=…</c> → the bytes, with Content-Length, ETag (the sha256 when known),
/// Accept-Ranges; one Range <c>bytes=N-</c>, <c>bytes=N-M</c> or <c>bytes=-K</c> → 206 + Content-Range. Served
/// through the node's bandwidth limit.</item>
/// <item><c>GET /sync/status</c> → <see cref="SyncStatusSnapshot"/>.</item>
/// </list>
/// </summary>
public static class SyncApi
{
    private const int ChunkSize = 1 << 20;

    public static IEndpointRouteBuilder MapSyncApi(this IEndpointRouteBuilder app, DataSync sync)
    {
        ArgumentNullException.ThrowIfNull(sync);
        var group = app.MapGroup("/sync");
        group.MapGet("/manifest", (HttpRequest request) => ManifestAsync(request.HttpContext, sync));
        group.MapGet("/file", (HttpRequest request) => ServeFileAsync(request.HttpContext, sync));
        group.MapGet("/status", () => NodeJson.Result(sync.GetStatus()));
        return app;
    }

    private static async Task<IResult> ManifestAsync(HttpContext http, DataSync sync)
    {
        var values = http.Request.Query["prefix"];
        if (values.Count > 1) return Refused(http, sync, values.ToString(), "give one prefix");
        var prefix = values.ToString();
        try
        {
            return NodeJson.Result(await sync.LocalManifestAsync(prefix.Length == 0 ? null : prefix, http.RequestAborted));
        }
        catch (PathRefusedException ex)
        {
            return Refused(http, sync, ex);
        }
    }

    private static async Task<IResult> ServeFileAsync(HttpContext http, DataSync sync)
    {
        var values = http.Request.Query["path"];
        if (values.Count == 0 || values.ToString().Length == 0) return ErrorHandling.Result(400, "MISSING_FIELD", "path is required");
        if (values.Count > 1) return Refused(http, sync, values.ToString(), "give one path");
        var path = values.ToString();
        string real;
        try
        {
            real = SyncPath.Resolve(sync.Manifest.DataDirReal, path);
        }
        catch (PathRefusedException ex)
        {
            return Refused(http, sync, ex);
        }

        FileStream stream;
        try
        {
            stream = new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 0,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return NotFound(sync, path);
        }
        await using (stream)
        {
            var info = new FileInfo(real);
            if (!info.Exists) return NotFound(sync, path); // a directory opens on some systems
            var length = stream.Length;
            var headers = http.Response.Headers;
            headers.AcceptRanges = "bytes";
            if (sync.Manifest.KnownHash(path, length, info.LastWriteTimeUtc) is { } sha) headers.ETag = $"\"{sha}\"";
            headers.LastModified = info.LastWriteTimeUtc.ToString("R");

            var start = 0L;
            var count = length;
            var rangeHeader = http.Request.Headers.Range.ToString();
            if (rangeHeader.Length > 0)
            {
                if (!ByteRange.TryParse(rangeHeader, length, out var range))
                {
                    headers.ContentRange = $"bytes */{length}";
                    return ErrorHandling.Result(StatusCodes.Status416RangeNotSatisfiable, "RANGE_NOT_SATISFIABLE",
                        $"range '{rangeHeader}' cannot be served from {path} ({length} bytes); use one range bytes=N-, bytes=N-M or bytes=-K");
                }
                start = range.Start;
                count = range.Length;
                http.Response.StatusCode = StatusCodes.Status206PartialContent;
                headers.ContentRange = range.ContentRange(length);
                stream.Seek(start, SeekOrigin.Begin);
            }
            http.Response.ContentType = "application/octet-stream";
            http.Response.ContentLength = count;
            var sent = await CopyAsync(stream, http, count, sync.Limiter);
            sync.Status.Served(sent);
            return Results.Empty;
        }
    }

    /// <summary>Copies <paramref name="count"/> bytes through the bandwidth limit; a client that goes away ends it quietly.</summary>
    private static async Task<long> CopyAsync(Stream source, HttpContext http, long count, BandwidthLimiter limiter)
    {
        var ct = http.RequestAborted;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        long sent = 0;
        try
        {
            while (sent < count)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(ChunkSize, count - sent)), ct);
                if (read == 0) break; // the file shrank under us; the client sees a short body and retries
                await limiter.WaitAsync(read, ct);
                await http.Response.Body.WriteAsync(buffer.AsMemory(0, read), ct);
                sent += read;
            }
        }
        catch (Exception ex) when (ct.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // the client disconnected: nothing to answer
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return sent;
    }

    private static IResult NotFound(DataSync sync, string path) =>
        ErrorHandling.Result(404, "FILE_NOT_FOUND", $"node {sync.Options.NodeId} has no file {path}");

    private static IResult Refused(HttpContext http, DataSync sync, PathRefusedException ex) =>
        Refused(http, sync, ex.RequestedPath, ex.Reason);

    private static IResult Refused(HttpContext http, DataSync sync, string path, string reason)
    {
        http.RequestServices.GetService<ILoggerFactory>()?.CreateLogger(typeof(SyncApi)).PathRefused(path, reason);
        return ErrorHandling.Result(400, "PATH_REFUSED", $"path '{path}' refused: {reason}");
    }
}
