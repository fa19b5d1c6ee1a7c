"""mmgas: infrared gas-leak segmentation as an MMSegmentation 1.x plugin."""
import os.path as osp

from setuptools import find_packages, setup

HERE = osp.dirname(osp.abspath(__file__))


def read_requirements(name):
    """Return the requirement lines of ``requirements/{name}.txt``."""
    with open(osp.join(HERE, 'requirements', f'{name}.txt')) as f:
        return [
            line.strip() for line in f
            if line.strip() and not line.startswith('#')
        ]


def read_version():
    namespace = {}
    with open(osp.join(HERE, 'mmgas', 'version.py')) as f:
        exec(f.read(), namespace)
    return namespace['__version__']


setup(
    name='mmgas',
    version=read_version(),
    description='Infrared gas-leak segmentation (GasSeg, GasViT, synthetic '
    'optical-gas-imaging data) as an MMSegmentation 1.x plugin',
    long_description=open(osp.join(HERE, 'README.md')).read(),
    long_description_content_type='text/markdown',
    license='Apache-2.0',
    python_requires='>=3.9',
    packages=find_packages(include=['mmgas', 'mmgas.*']),
    install_requires=read_requirements('runtime'),
    # mmdeploy itself is installed with --no-deps by `make install-deploy`:
    # its protobuf<=3.20.2 pin breaks onnxruntime (docs/deploy.md).
    extras_require={
        'deploy': read_requirements('deploy'),
        'tests': read_requirements('tests') + read_requirements('deploy'),
    },
    zip_safe=False,
)
