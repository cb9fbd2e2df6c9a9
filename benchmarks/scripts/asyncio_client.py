#!/usr/bin/env python3
"""A streaming load client in the design of `vllm bench serve`, to set loadgen's CPU cost beside.

One asyncio process and one aiohttp ClientSession; a coroutine per request, at most CONCURRENCY at
once (an asyncio.Semaphore), each POSTing an OpenAI chat request with "stream": true and reading the
SSE body line by line: every "data: " line is parsed with json.loads, and each delta with content
is stamped with time.perf_counter() and appended to the request's text, as vllm's
async_request_openai_chat_completions does. At the end it computes TTFT and ITL percentiles.

What it does not do that loadgen does: count output tokens with a tokenizer (it counts content
chunks), keep HdrHistograms or write export files. Both clients send the same number of requests of
the same shape to the same server.

Prints one JSON line: requests, errors, chunks (content deltas received), wall and CPU seconds of
this process (user + system, from getrusage, including interpreter start-up).

  python3 asyncio_client.py --url http://127.0.0.1:8000 --concurrency 500 --requests 2000 \
      --output-tokens 100 --input-words 550
"""
import argparse
import asyncio
import json
import random
import resource
import statistics
import time

import aiohttp

WORDS = ("the of and to in a is that for it as was with be by on not he i this are or his from at "
         "which but have an they you were her she there one all we their been has when who will more "
         "no if out so said what up its about than into them can only other new some could time these "
         "two may then do first any my now such like our over man me even most made after also did "
         "many before must through back years where much your way well down should because each just "
         "those people how too little state good very make world still own see men work long get here "
         "between both life being under never day same another know while last might us great old year "
         "off come since against go came right used take three").split()


def prompts(count, words, seed):
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(words)) for _ in range(count)]


async def one_request(session, url, payload, results):
    started = time.perf_counter()
    ttft = 0.0
    last = started
    itl = []
    text = []
    chunks = 0
    try:
        async with session.post(url, json=payload) as response:
            if response.status != 200:
                await response.read()
                results["errors"] += 1
                return
            async for line in response.content:
                line = line.strip()
                if not line:
                    continue
                data = line.decode("utf-8")
                if not data.startswith("data: "):
                    continue
                data = data[len("data: "):]
                if data == "[DONE]":
                    continue
                event = json.loads(data)
                choices = event.get("choices")
                if choices:
                    content = choices[0].get("delta", {}).get("content")
                    if content:
                        now = time.perf_counter()
                        if ttft == 0.0:
                            ttft = now - started
                        else:
                            itl.append(now - last)
                        last = now
                        text.append(content)
                        chunks += 1
        results["ttft"].append(ttft)
        results["itl"].extend(itl)
        results["chunks"] += chunks
        results["text_chars"] += len("".join(text))
        results["requests"] += 1
    except (aiohttp.ClientError, asyncio.TimeoutError):
        results["errors"] += 1


async def run(args):
    url = args.url.rstrip("/") + "/v1/chat/completions"
    texts = prompts(args.num_prompts, args.input_words, args.seed)
    results = {"requests": 0, "errors": 0, "chunks": 0, "text_chars": 0, "ttft": [], "itl": []}
    semaphore = asyncio.Semaphore(args.concurrency)
    connector = aiohttp.TCPConnector(limit=args.concurrency, force_close=False)
    timeout = aiohttp.ClientTimeout(total=6 * 60 * 60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        async def limited(i):
            async with semaphore:
                payload = {
                    "model": args.model,
                    "messages": [{"role": "user", "content": texts[i % len(texts)]}],
                    "max_tokens": args.output_tokens,
                    "min_tokens": args.output_tokens,
                    "ignore_eos": True,
                    "stream": True,
                    "stream_options": {"include_usage": True},
                }
                await one_request(session, url, payload, results)
        await asyncio.gather(*(limited(i) for i in range(args.requests)))
    return results


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--model", default="meta/llama3-8b-instruct")
    parser.add_argument("--concurrency", type=int, default=500)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--output-tokens", type=int, default=100)
    parser.add_argument("--input-words", type=int, default=550)
    parser.add_argument("--num-prompts", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    wall_start = time.perf_counter()
    results = asyncio.run(run(args))
    wall = time.perf_counter() - wall_start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({
        "client": "python-asyncio-aiohttp",
        "requests": results["requests"],
        "errors": results["errors"],
        "chunks": results["chunks"],
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "ttft_p50_ms": round(statistics.median(results["ttft"]) * 1e3, 2) if results["ttft"] else None,
        "ttft_p99_ms": round(percentile(results["ttft"], 99) * 1e3, 2),
        "itl_p50_ms": round(percentile(results["itl"], 50) * 1e3, 2),
        "itl_p99_ms": round(percentile(results["itl"], 99) * 1e3, 2),
    }))


if __name__ == "__main__":
    main()
