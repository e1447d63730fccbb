#!/usr/bin/env python3
"""How much of the full downdate a lazy (Minoux-style) greedy would skip, on an N(0, I/d) pool (not a test).

usage: bench/lazy-downdate-count.py N d n. Prints the exact re-evaluations a lazy greedy needs, and the share of
the N n row downdates it would still do if each row were brought up to date only when re-evaluated."""
import heapq, sys
import numpy as np
N,d,n=int(sys.argv[1]),int(sys.argv[2]),int(sys.argv[3])
rng=np.random.default_rng(1)
V=rng.standard_normal((N,d))/np.sqrt(d)
Hinv=np.eye(d)
q=np.einsum('ij,ij->i',V,V)
heap=[(-q[i],i) for i in range(N)]; heapq.heapify(heap)
stamp=np.zeros(N,int); evals=0; t=0
while t<n:
    nq,i=heapq.heappop(heap)
    if stamp[i]==t:
        v=V[i]; u=Hinv@v; Hinv-=np.outer(u,u)/(1+v@u); t+=1; continue
    evals+=1; v=V[i]; stamp[i]=t; heapq.heappush(heap,(-(v@Hinv@v),i))
print(f"N={N} d={d} n={n}: lazy re-evaluations {evals} = {evals/(N*n):.4f} of the N n full downdates ({evals/n:.0f} per pick)")
print(f"lazy downdates (each row brought up to its last re-evaluation): {stamp.sum()/(N*n):.4f} of N n")
