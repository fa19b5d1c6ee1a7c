"""mmgas: infrared gas-leak segmentation as an MMSegmentation 1.x plugin."""
import os.path as osp

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

HERE = osp.dirname(osp.abspath(__file__))

# Run by `site` at interpreter start-up: loads mmgas/compat.py on its own
# (stdlib only, not the mmgas package) and puts its import hook on
# sys.meta_path, so that the mmcv.ops stand-in is there before stock scripts
# import mmseg (mmgas/compat.py, README "Compatibility shims"). It never
# fails start-up; MMGAS_NO_IMPORT_HOOK=1 skips it.
IMPORT_HOOK_PTH_NAME = 'mmgas-import-hook.pth'
IMPORT_HOOK_PTH = (
    'import sys; exec("try:\\n'
    ' import os, importlib.util as u\\n'
    " s = None if os.environ.get('MMGAS_NO_IMPORT_HOOK')"
    " else u.find_spec('mmgas')\\n"
    ' if s is not None and s.submodule_search_locations'
    " and 'mmgas.compat' not in sys.modules:\\n"
    "  c = u.spec_from_file_location('mmgas.compat', os.path.join("
    "list(s.submodule_search_locations)[0], 'compat.py'))\\n"
    "  m = u.module_from_spec(c); sys.modules['mmgas.compat'] = m\\n"
    '  c.loader.exec_module(m); m.install_import_hook()\\n'
    'except Exception:\\n'
    " sys.modules.pop('mmgas.compat', None)\\n\")\n")


class BuildPyWithImportHook(build_py):
    """build_py that also writes the start-up ``.pth`` file.

    A wheel installs the files at the root of ``build_lib`` into
    site-packages; an editable wheel (PEP 660) ignores ``build_lib`` and
    installs what is written straight into the unpacked wheel instead,
    which is ``install_lib`` while it is being built.
    """

    def run(self):
        super().run()
        target = self.build_lib
        if getattr(self, 'editable_mode', False):
            target = self.get_finalized_command('install').install_lib
        self.mkpath(target)
        path = osp.join(target, IMPORT_HOOK_PTH_NAME)
        with open(path, 'w') as f:
            f.write(IMPORT_HOOK_PTH)
        self._hook_outputs = [path]

    def get_outputs(self, *args, **kwargs):
        return super().get_outputs(*args, **kwargs) + getattr(
            self, '_hook_outputs', [])


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
    cmdclass={'build_py': BuildPyWithImportHook},
    zip_safe=False,
)
