"""scikit-learn's Barnes-Hut t-SNE on the vectors bench/tsne.ts prepared, with the same settings.

    /usr/bin/python3 bench/tsne_sklearn.py <points.f64> <n> <dims> <embedding-out.f64>

Prints one JSON line: wall and CPU seconds (fit only, CPU summed over its threads), sklearn's own KL estimate, iterations, version, threads.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.manifold import TSNE
from threadpoolctl import threadpool_info

path, n, dims, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
x = np.fromfile(path, dtype='<f8').reshape(n, dims)
tsne = TSNE(n_components=2, perplexity=30.0, early_exaggeration=12.0, learning_rate='auto', n_iter=1000,
            init='pca', method='barnes_hut', angle=0.5, random_state=1)
started = time.perf_counter()
cpu_started = time.process_time()
y = tsne.fit_transform(x)
seconds = time.perf_counter() - started
cpu_seconds = time.process_time() - cpu_started
y.astype('<f8').tofile(out)
threads = max((i['num_threads'] for i in threadpool_info() if i['internal_api'] == 'openmp'), default=1)
print(json.dumps({'seconds': seconds, 'cpuSeconds': cpu_seconds, 'kl': float(tsne.kl_divergence_), 'iterations': int(tsne.n_iter_),
                  'version': sklearn.__version__, 'openmpThreads': threads}))
