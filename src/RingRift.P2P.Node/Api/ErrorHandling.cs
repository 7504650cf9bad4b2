using System.Text.Json;
using RingRift.P2P.Coordination;
using RingRift.P2P.Node.Wire;
using RingRift.P2P.Storage;

namespace RingRift.P2P.Node.Api;

/// <summary>
/// Turns every failure into <c>{"error", "code"}</c> with the right status; unexpected exceptions are
/// logged and answered 500 without taking the node down. Empty 4xx/5xx answers from routing (unknown
/// route, wrong method) get the same body. A write that failed for lack of space (anywhere in the
/// exception's chain) is answered 507 <c>INSUFFICIENT_STORAGE</c> naming the path and filesystem.
/// </summary>
public static class ErrorHandling
{
    /// <summary>The code of a write refused because the node's disk is full (HTTP 507).</summary>
    public const string InsufficientStorage = "INSUFFICIENT_STORAGE";

    public static IApplicationBuilder UseApiErrors(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception ex) when (!context.Response.HasStarted && !(ex is OperationCanceledException && context.RequestAborted.IsCancellationRequested))
            {
                var (status, code, message) = Map(ex);
                if (ex is ApiException { RetryAfterSeconds: { } retryAfter }) context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (status == StatusCodes.Status507InsufficientStorage)
                {
                    // Flagged (and logged once) by the storage monitor; a raw ENOSPC from a writer that does not report is reported here.
                    if (OutOfSpace.Find(ex) is not StorageFullException)
                    {
                        var storage = context.RequestServices.GetRequiredService<StorageHealth>();
                        message = storage.Report(storage.Directory, ex).Message;
                    }
                }
                else if (status >= 500)
                {
                    context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("RingRift.P2P.Node.Api")
                        .RequestFailed(ex, context.Request.Method, context.Request.Path.Value ?? "");
                }

                await WriteAsync(context, status, code, message);
            }
        });
        app.UseStatusCodePages(async ctx =>
        {
            var http = ctx.HttpContext;
            var (code, message) = http.Response.StatusCode switch
            {
                404 => ("NOT_FOUND", $"no route {http.Request.Method} {http.Request.Path}"),
                405 => ("METHOD_NOT_ALLOWED", $"{http.Request.Method} is not allowed on {http.Request.Path}"),
                413 => ("PAYLOAD_TOO_LARGE", "request body is larger than the limit"),
                415 => ("UNSUPPORTED_MEDIA_TYPE", "expected application/json"),
                var s => ($"HTTP_{s}", $"request failed with status {s}"),
            };
            await WriteAsync(http, http.Response.StatusCode, code, message);
        });
        return app;
    }

    public static Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(NodeJson.Serialize(new ApiError(message, code)));
    }

    public static IResult Result(int status, string code, string message) =>
        NodeJson.Result(new ApiError(message, code), status);

    /// <summary>The status, code and message the API answers <paramref name="ex"/> with.</summary>
    internal static (int Status, string Code, string Message) Map(Exception ex) => ex switch
    {
        ApiException a => (a.Status, a.Code, a.Message),
        BadHttpRequestException { StatusCode: 413 } => (413, "PAYLOAD_TOO_LARGE", "request body is larger than the limit"),
        BadHttpRequestException b => (b.StatusCode, "BAD_REQUEST", b.Message),
        WorkNotFoundException w => (404, "WORK_NOT_FOUND", w.Message),
        WorkConflictException w => (409, "INVALID_TRANSITION", w.Message),
        DuplicateWorkException d => (409, "DUPLICATE_WORK_ID", d.Message),
        NotLeaderException n => (503, "NOT_LEADER", n.Message),
        UnknownLeaderException u => (403, "UNKNOWN_LEADER", u.Message),
        Raft.NotRaftLeaderException n => (503, "NOT_LEADER", n.Message),
        Raft.Node.RaftCommitUnknownException u => (503, "COMMIT_UNKNOWN", u.Message),
        Raft.RaftReadUnavailableException r => (503, "READ_UNAVAILABLE", r.Message),
        QuorumUnreachableException q => (503, "QUORUM_UNREACHABLE", q.Message),
        _ when OutOfSpace.Find(ex) is { } full => (StatusCodes.Status507InsufficientStorage, InsufficientStorage, full.Message),
        ArgumentException a => (400, "INVALID_FIELD", a.Message),
        JsonException j => (400, "INVALID_JSON", $"malformed JSON: {j.Message}"),
        OperationCanceledException => (503, "TIMEOUT", "the request was cancelled or timed out"),
        _ => (500, "INTERNAL", "internal error; see the node's log"),
    };
}
