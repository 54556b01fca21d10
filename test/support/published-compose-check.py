# Checks a published compose tree from the outside, with productmd as its readers would: every RPM in
# rpms.json exists, every image in images.json has its recorded size and sha256, every SHA256SUM line
# verifies, and no image is listed twice. Prints what it found as JSON for the test to assert on.
import hashlib
import json
import os
import re
import sys

import productmd.compose


def sha256(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            digest.update(chunk)
    return digest.hexdigest()


def main(tree):
    compose = productmd.compose.Compose(tree)
    top = os.path.join(tree, 'compose')
    problems = []
    rpms = 0
    for arches in compose.rpms.rpms.values():
        for srpms in arches.values():
            for nevras in srpms.values():
                for info in nevras.values():
                    rpms += 1
                    if not os.path.exists(os.path.join(top, info['path'])):
                        problems.append('missing rpm %s' % info['path'])
    images = []
    for arches in compose.images.images.values():
        for items in arches.values():
            for image in items:
                images.append(image.path)
                path = os.path.join(top, image.path)
                if not os.path.exists(path):
                    problems.append('missing image %s' % image.path)
                    continue
                if os.path.getsize(path) != image.size:
                    problems.append('size of %s' % image.path)
                if sha256(path) != image.checksums['sha256']:
                    problems.append('checksum of %s' % image.path)
    checksum_lines = 0
    for root, _, files in os.walk(top):
        if 'SHA256SUM' not in files:
            continue
        for line in open(os.path.join(root, 'SHA256SUM')):
            match = re.match(r'^SHA256 \((.+)\) = ([0-9a-f]{64})$', line.strip())
            if not match:
                problems.append('bad SHA256SUM line in %s: %s' % (root, line.strip()))
                continue
            checksum_lines += 1
            if sha256(os.path.join(root, match.group(1))) != match.group(2):
                problems.append('SHA256SUM of %s in %s' % (match.group(1), root))
    print(json.dumps({
        'id': compose.info.compose.id,
        'variants': sorted(compose.info.variants.variants.keys()),
        'rpms': rpms,
        'images': sorted(images),
        'checksumLines': checksum_lines,
        'problems': problems,
    }))


main(sys.argv[1])
