"""galip's web demo as a Hugging Face Space: the page `galip demo` serves (galip.demo, chapter 15a_demo), for the model
named by the MODEL variable of the Space (a Hub id such as 'org/galip-model'; default: 'shapes', the model that ships
inside galip)."""
import os
from galip.demo import build_demo

demo = build_demo(os.environ.get('MODEL') or None)
demo.queue(default_concurrency_limit=1)

if __name__ == '__main__':
    demo.launch()
