using System.Buffers;
using System.IO.Compression;
using Microsoft.AspNetCore.Http.Features;
using Pretzel.Server.Http;

namespace Pretzel.Server.Collect;

/// <summary>
/// Reads a request body whole, within a size limit that holds after decompression (gzip and deflate
/// bodies are accepted), so an oversized or compressed-bomb body is refused with 413 without being held.
/// </summary>
internal static class RequestBody
{
    internal sealed record Body(byte[] Buffer, int Length) : IDisposable
    {
        public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);

        public void Dispose() => ArrayPool<byte>.Shared.Return(Buffer);
    }

    internal static async Task<(Body? Body, IResult? Failure)> ReadAsync(HttpContext context, int limit, string tooLargeCode, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var encoding = request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        var compressed = encoding is "gzip" or "x-gzip" or "deflate";
        if (!compressed && encoding is not ("" or "identity"))
        {
            return (null, ApiJson.Failure(StatusCodes.Status415UnsupportedMediaType, "unsupported_encoding", $"Content-Encoding '{encoding}' is not supported; send identity, gzip or deflate"));
        }

        var rawLimit = compressed ? limit + 64 * 1024 : limit;
        if (request.ContentLength > rawLimit)
        {
            return (null, TooLarge(tooLargeCode, limit));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = rawLimit;
        }

        Stream input = request.Body;
        if (compressed)
        {
            input = encoding == "deflate" ? new ZLibStream(input, CompressionMode.Decompress, leaveOpen: true) : new GZipStream(input, CompressionMode.Decompress, leaveOpen: true);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, 64 * 1024));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return (null, TooLarge(tooLargeCode, limit));
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var n = await input.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit + 1) - length), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                length += n;
                if (length > limit)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return (null, TooLarge(tooLargeCode, limit));
                }
            }

            return (new Body(buffer, length), null);
        }
        catch (InvalidDataException ex)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, ApiJson.Failure(StatusCodes.Status400BadRequest, "invalid_body", $"the {encoding} body could not be decompressed: {ex.Message}"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, TooLarge(tooLargeCode, limit));
        }
        catch (BadHttpRequestException ex)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, ApiJson.Failure(StatusCodes.Status400BadRequest, "invalid_body", "the body could not be read: " + ex.Message));
        }
        finally
        {
            if (compressed)
            {
                await input.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static IResult TooLarge(string code, int limit) =>
        ApiJson.Failure(StatusCodes.Status413PayloadTooLarge, code, $"the body is larger than {limit / 1024} KB{(code == "event_too_large" ? " (a single event may take 32 KB; send more in /v1/batch)" : " (split the batch)")}");
}
